#!/usr/bin/env bash
# An S3-compatible bucket behind a CDN: upload public/ in two passes so that
# hashed assets are cached for a year and everything else is revalidated.
# Usage: s3-sync.sh BUCKET [public]   (AWS CLI configured; for other S3
# services add --endpoint-url). rclone users: see docs/publishing.md.
set -euo pipefail
bucket="$1"
site="${2:-public}"
# 1. Hashed assets: never change under the same name.
aws s3 sync "$site/static" "s3://$bucket/static" \
  --cache-control "public, max-age=31536000, immutable" --delete
# 2. Everything else: pages, search index, sitemap. Revalidated on each visit.
aws s3 sync "$site" "s3://$bucket" --exclude "static/*" \
  --cache-control "no-cache" --delete
