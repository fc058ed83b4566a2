// driver.js evaluates policy requests with @cloud-copilot/iam-simulate for
// the differential test (integration/iamsim_test.go). It reads one JSON case
// per line on stdin, {"policy": {...}, "action": "...", "resource": "...",
// "context": {...}}, and writes one JSON line per case:
// {"decision": "Allow" | "ImplicitDeny" | "ExplicitDeny"} or {"error": "..."}.
'use strict';
const readline = require('readline');
const { runSimulation } = require('@cloud-copilot/iam-simulate');

const principal = 'arn:aws:iam::111122223333:role/differential';

async function evaluate(c) {
  const result = await runSimulation({
    request: {
      principal,
      action: c.action,
      resource: { resource: c.resource, accountId: '111122223333' },
      contextVariables: c.context || {},
    },
    identityPolicies: [{ name: 'p', policy: c.policy }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  }, {});
  if (result.resultType === 'error') {
    return { error: JSON.stringify(result.errors) };
  }
  const analysis = result.result.analysis;
  switch (analysis.result) {
    case 'Allowed': return { decision: 'Allow' };
    case 'ExplicitlyDenied': return { decision: 'ExplicitDeny' };
    default: return { decision: 'ImplicitDeny', detail: analysis.result };
  }
}

async function main() {
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    let out;
    try {
      out = await evaluate(JSON.parse(line));
    } catch (e) {
      out = { error: String(e && e.message || e) };
    }
    process.stdout.write(JSON.stringify(out) + '\n');
  }
}
main();
