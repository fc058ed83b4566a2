terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "role_name" {
  description = "Name of the IAM role the platform assumes. If you change it, give the platform the role_arn output."
  type        = string
  default     = "awsconnect-platform"

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,64}$", var.role_name))
    error_message = "The role name must be 1 to 64 letters, digits and +=,.@_-."
  }
}

resource "aws_iam_role" "platform" {
  name        = var.role_name
  path        = "/"
  description = "Assumed by the integration platform with an external ID; grants only what its connection uses."
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "PlatformAssumeRoleWithExternalID"
        Effect = "Allow"
        Principal = {
          AWS = "arn:aws:iam::111122223333:root"
        }
        Action = "sts:AssumeRole"
        Condition = {
          StringEquals = {
            "sts:ExternalId" = "awsconnect_iam_external_id_12345_6789"
          }
        }
      },
    ]
  })
}

resource "aws_iam_role_policy" "platform" {
  name = "awsconnect-permissions"
  role = aws_iam_role.platform.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "S3BucketWithCondition"
        Effect   = "Allow"
        Action   = "s3:ListBucket"
        Resource = "arn:aws:s3:::acme-reports"
        Condition = {
          StringLike = {
            "s3:prefix" = "exports/*"
          }
        }
      },
      {
        Sid      = "S3Object"
        Effect   = "Allow"
        Action   = "s3:PutObject"
        Resource = "arn:aws:s3:::acme-reports/exports/*"
      },
    ]
  })
}

output "role_arn" {
  description = "ARN of the role; paste it into the platform's connection form."
  value       = aws_iam_role.platform.arn
}
