#!/usr/bin/env bash
# Kring backup: the database (pg_dump, custom format) and, with local storage, the upload
# folder, into a new dated folder under DEST. With KRING_STORAGE_BACKEND=s3 the files are kept
# by the bucket's versioning and replication instead (docs/production.md).
#   usage: deploy/backup.sh DEST
# Reads KRING_DATABASE_URL and KRING_UPLOAD_FOLDER (or KRING_INSTANCE_PATH/uploads) from the
# environment, e.g. `set -a; . /etc/kring/kring.env; set +a` first. Prints the folder it made.
set -euo pipefail
umask 077

dest=${1:?usage: backup.sh DEST}
: "${KRING_DATABASE_URL:?KRING_DATABASE_URL is not set}"
# SQLAlchemy's URL names its driver ("postgresql+psycopg://"); libpq's tools do not.
url=${KRING_DATABASE_URL/postgresql+psycopg:\/\//postgresql://}
target="$dest/kring-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$target"

# The database first: files written after the dump belong to rows it does not have, and are
# swept as orphans after a restore; the other order would leave rows without their files.
pg_dump --format=custom --no-owner --no-privileges --file="$target/kring.dump" "$url"

if [ "${KRING_STORAGE_BACKEND:-local}" = "local" ]; then
  uploads=${KRING_UPLOAD_FOLDER:-${KRING_INSTANCE_PATH:-instance}/uploads}
  mkdir -p "$target/uploads"
  if [ -d "$uploads" ]; then
    cp -a "$uploads/." "$target/uploads/"
  fi
fi
echo "$target"
