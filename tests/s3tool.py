"""An independent S3 client (boto3, from the moto venv) for tests/object_cache.rs.

Usage: python s3tool.py ENDPOINT BUCKET COMMAND [ARGS]
  mkbucket             create the bucket
  list PREFIX          print every key under PREFIX, one a line
  get KEY FILE         write the object's bytes to FILE
  put KEY FILE         replace the object with FILE's bytes
Credentials come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (moto takes any).
"""
import sys

import boto3

endpoint, bucket, command, *args = sys.argv[1:]
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
if command == "mkbucket":
    s3.create_bucket(Bucket=bucket)
elif command == "list":
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=args[0]):
        for item in page.get("Contents", []):
            print(item["Key"])
elif command == "get":
    with open(args[1], "wb") as f:
        f.write(s3.get_object(Bucket=bucket, Key=args[0])["Body"].read())
elif command == "put":
    with open(args[1], "rb") as f:
        s3.put_object(Bucket=bucket, Key=args[0], Body=f.read())
else:
    sys.exit(f"unknown command {command}")
