#!/usr/bin/env bash
# Creates the IAM role awsconnect-platform that the integration platform assumes with its
# external ID, with its least-privilege permissions policy inline.
# Run it with the AWS CLI signed in to the account that will own the role:
#
#   bash create-role.sh [ROLE_NAME]
#
# It prints the role's ARN: paste it into the platform's connection form.
# It stops at the first call that fails: run again for a role that exists,
# it fails at create-role (EntityAlreadyExists) and changes nothing.
set -euo pipefail

role_name=awsconnect-platform
if [ "$#" -gt 0 ]; then
  role_name=$1
fi
role_name_pattern='^[abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+=,.@_-]{1,64}$'
if ! [[ $role_name =~ $role_name_pattern ]]; then
  printf 'create-role.sh: the role name "%s" is not one IAM accepts; give 1 to 64 letters, digits and +=,.@_-\n' "$role_name" >&2
  exit 2
fi
role_path=/
policy_name=awsconnect-permissions
region=us-east-1
description='Assumed by the integration platform with an external ID; grants only what its connection uses.'
trust_policy='{"Version":"2012-10-17","Statement":[{"Sid":"PlatformAssumeRoleWithExternalID","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"awsconnect_iam_external_id_12345_6789"}}}]}'
permissions_policy='{"Version":"2012-10-17","Statement":[{"Sid":"S3BucketWithCondition","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::acme-reports","Condition":{"StringLike":{"s3:prefix":"exports/*"}}},{"Sid":"S3Object","Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::acme-reports/exports/*"}]}'

role_arn=$(aws iam create-role \
  --region "$region" \
  --role-name "$role_name" \
  --path "$role_path" \
  --description "$description" \
  --assume-role-policy-document "$trust_policy" \
  --query Role.Arn \
  --output text)
aws iam put-role-policy \
  --region "$region" \
  --role-name "$role_name" \
  --policy-name "$policy_name" \
  --policy-document "$permissions_policy"
printf 'Role ARN: %s\n' "$role_arn"
