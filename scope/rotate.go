package scope

// PlanRotation plans the rotation of the given active connections' external
// IDs from d's to next's, keeping mode: a new [Deriver.Secret] (after a leak,
// or on a schedule) or a new [Deriver.Prefix]. It is a switch like
// [Deriver.PlanSwitch], with the same plan: each changed connection's old and
// new ID and each role's transitional (old ∪ new) and final trust. A
// rotation already completed, or a next that derives the same IDs, is an
// empty plan. Every invalid connection is reported, joined in one error.
//
// The connections' ExternalID is the ID their role trusts today, which need
// not be d's: a half-finished rotation plans only what is left.
func (d Deriver) PlanRotation(next Deriver, mode Mode, conns []Connection) (Plan, error) {
	return d.plan(next, mode, conns)
}
