package connectors

import (
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
)

// regionPartitions maps every AWS region this library knows to its partition,
// from AWS's published region list (docs.aws.amazon.com/global-infrastructure/latest/regions).
// A region missing here is rejected by Validate: a typo such as "us-east-9"
// otherwise surfaces only as an opaque DNS failure at the first call.
var regionPartitions = map[string]string{
	"us-east-1": "aws", "us-east-2": "aws", "us-west-1": "aws", "us-west-2": "aws",
	"af-south-1": "aws",
	"ap-east-1":  "aws", "ap-east-2": "aws",
	"ap-south-1": "aws", "ap-south-2": "aws",
	"ap-northeast-1": "aws", "ap-northeast-2": "aws", "ap-northeast-3": "aws",
	"ap-southeast-1": "aws", "ap-southeast-2": "aws", "ap-southeast-3": "aws",
	"ap-southeast-4": "aws", "ap-southeast-5": "aws", "ap-southeast-6": "aws", "ap-southeast-7": "aws",
	"ca-central-1": "aws", "ca-west-1": "aws",
	"eu-central-1": "aws", "eu-central-2": "aws",
	"eu-west-1": "aws", "eu-west-2": "aws", "eu-west-3": "aws",
	"eu-south-1": "aws", "eu-south-2": "aws", "eu-north-1": "aws",
	"il-central-1": "aws", "me-south-1": "aws", "me-central-1": "aws",
	"mx-central-1": "aws", "sa-east-1": "aws",
	"cn-north-1": "aws-cn", "cn-northwest-1": "aws-cn",
	"us-gov-east-1": "aws-us-gov", "us-gov-west-1": "aws-us-gov",
	"eusc-de-east-1": "aws-eusc",
}

// KnownRegion reports whether region is an AWS region this library knows.
func KnownRegion(region string) bool {
	_, ok := regionPartitions[region]
	return ok
}

// RegionPartition returns the partition of a known region ("aws", "aws-cn",
// "aws-us-gov", "aws-eusc"), or "" for an unknown one.
func RegionPartition(region string) string { return regionPartitions[region] }

// partitionDNSSuffixes are the domains of the partitions' regional service
// endpoints (service.REGION.SUFFIX).
var partitionDNSSuffixes = map[string]string{
	"aws": "amazonaws.com", "aws-cn": "amazonaws.com.cn", "aws-us-gov": "amazonaws.com", "aws-eusc": "amazonaws.eu",
}

// RegionalEndpoint returns the standard HTTPS endpoint of service in region,
// https://SERVICE.REGION.SUFFIX, with the DNS suffix of the region's
// partition (amazonaws.com.cn in China, where amazonaws.com does not
// resolve). A region this library does not know gets amazonaws.com.
func RegionalEndpoint(service, region string) string {
	suffix, ok := partitionDNSSuffixes[RegionPartition(region)]
	if !ok {
		suffix = "amazonaws.com"
	}
	return "https://" + service + "." + region + "." + suffix
}

// Regions returns the known regions, sorted.
func Regions() []string {
	out := make([]string, 0, len(regionPartitions))
	for r := range regionPartitions {
		out = append(out, r)
	}
	slices.Sort(out)
	return out
}

// closestRegions suggests the known regions an unknown one was probably
// meant to be: those at the smallest edit distance when it is small next to
// the input ("us-est-1" → us-east-1, us-west-1; "US-EAST-1" → us-east-1),
// else those sharing its prefix ("us-east-9" → us-east-1, us-east-2), so
// the error says what was meant.
func closestRegions(region string) []string {
	if near := nearest(region, Regions()); len(near) > 0 {
		return near
	}
	lower := strings.ToLower(region)
	prefix := lower
	if i := strings.LastIndexByte(lower, '-'); i > 0 {
		prefix = lower[:i+1]
	}
	var out []string
	for _, r := range Regions() {
		if strings.HasPrefix(r, prefix) {
			out = append(out, r)
		}
	}
	return out
}

// ResourceARN is the ARN of resource (such as "function:orders") of
// service in region and account, for a policy.Requirement. An empty
// partition means the region's ("aws" for a region this library does not
// know); an empty account means "*", any account, which an identity policy
// narrows to the role's own account anyway.
func ResourceARN(partition, service, region, account, resource string) string {
	if partition == "" {
		partition = RegionPartition(region)
	}
	if partition == "" {
		partition = "aws"
	}
	if account == "" {
		account = "*"
	}
	return arn.ARN{Partition: partition, Service: service, Region: region, AccountID: account, Resource: resource}.String()
}
