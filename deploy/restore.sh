#!/usr/bin/env bash
# Kring restore: a folder made by deploy/backup.sh into an EMPTY database and upload folder.
#   usage: deploy/restore.sh BACKUP_FOLDER
# Reads KRING_DATABASE_URL (the new, empty database) and KRING_UPLOAD_FOLDER (or
# KRING_INSTANCE_PATH/uploads). Stop Kring's processes first; start them afterwards.
set -euo pipefail
umask 077

backup=${1:?usage: restore.sh BACKUP_FOLDER}
: "${KRING_DATABASE_URL:?KRING_DATABASE_URL is not set}"
url=${KRING_DATABASE_URL/postgresql+psycopg:\/\//postgresql://}

pg_restore --exit-on-error --no-owner --no-privileges --dbname="$url" "$backup/kring.dump"

if [ "${KRING_STORAGE_BACKEND:-local}" = "local" ] && [ -d "$backup/uploads" ]; then
  uploads=${KRING_UPLOAD_FOLDER:-${KRING_INSTANCE_PATH:-instance}/uploads}
  mkdir -p "$uploads"
  cp -a "$backup/uploads/." "$uploads/"
fi
echo "restored $backup"
