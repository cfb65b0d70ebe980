"""An independent S3 client (boto3, from the moto venv) for tests/object_cache.rs.

Usage: python s3tool.py ENDPOINT BUCKET COMMAND [ARGS]
  mkbucket             create the bucket
  mkuser               (moto with INITIAL_NO_AUTH_ACTION_COUNT=3) create an IAM user that may do
                       anything and print its access key id and secret on one line
  list PREFIX          print every key under PREFIX, one a line
  get KEY FILE         write the object's bytes to FILE
  put KEY FILE         replace the object with FILE's bytes
  type KEY             print the object's Content-Type
  dump PREFIX DIR      write every object under PREFIX to DIR/KEY; print "KEY<TAB>Content-Type" each
Credentials come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (moto takes any).
"""
import sys

import boto3

endpoint, bucket, command, *args = sys.argv[1:]
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
if command == "mkuser":
    import json

    iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1")
    iam.create_user(UserName="worker")
    key = iam.create_access_key(UserName="worker")["AccessKey"]
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    iam.put_user_policy(UserName="worker", PolicyName="all", PolicyDocument=json.dumps(policy))
    print(key["AccessKeyId"], key["SecretAccessKey"])
elif command == "mkbucket":
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
elif command == "dump":
    import os

    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=args[0]):
        for item in page.get("Contents", []):
            got = s3.get_object(Bucket=bucket, Key=item["Key"])
            path = os.path.join(args[1], item["Key"])
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(got["Body"].read())
            print(f"{item['Key']}\t{got['ContentType']}")
elif command == "type":
    print(s3.head_object(Bucket=bucket, Key=args[0])["ContentType"])
else:
    sys.exit(f"unknown command {command}")
