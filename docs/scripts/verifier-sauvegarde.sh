#!/usr/bin/env bash
# Sauvegarde puis restauration vérifiée d'une base PostgreSQL de ma cantine.
#
#   docs/scripts/verifier-sauvegarde.sh SOURCE [FICHIER.dump]
#
# 1. pg_dump -Fc de la base SOURCE (format custom, compressé) ;
# 2. pg_restore dans une base neuve SOURCE_restauration_<date> ;
# 3. comparaison du nombre de lignes de chaque table entre SOURCE et la copie (count(*) exact) ;
# 4. suppression de la copie (KEEP=1 pour la garder), le fichier de sauvegarde reste.
# Code de sortie 0 si toutes les tables ont le même nombre de lignes.
# Connexion : variables libpq habituelles (PGHOST, PGPORT, PGUSER, PGPASSWORD), par défaut 127.0.0.1:5432 postgres.
set -euo pipefail

SOURCE="${1:?usage: $0 BASE_SOURCE [FICHIER.dump]}"
DUMP="${2:-var/sauvegardes/${SOURCE}-$(date +%Y%m%d-%H%M%S).dump}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
COPY="${SOURCE}_restauration_$(date +%Y%m%d%H%M%S)"
mkdir -p "$(dirname "$DUMP")"

counts() {  # "table nombre" for every table of the public schema, sorted
    local database="$1" tables
    tables=$(psql -d "$database" -At -c "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
    for table in $tables; do
        echo "$table $(psql -d "$database" -At -c "SELECT count(*) FROM $table")"
    done
}

started=$(date +%s)
pg_dump -Fc --no-owner -d "$SOURCE" -f "$DUMP"
dumped=$(date +%s)
echo "sauvegarde : $DUMP ($(du -h "$DUMP" | cut -f1), $((dumped - started)) s)"

createdb "$COPY"
trap '[ "${KEEP:-0}" = 1 ] || dropdb --if-exists "$COPY"' EXIT
pg_restore --no-owner --exit-on-error -j 2 -d "$COPY" "$DUMP"
restored=$(date +%s)
echo "restauration : base $COPY ($((restored - dumped)) s)"

counts "$SOURCE" > "${DUMP}.source.txt"
counts "$COPY" > "${DUMP}.copie.txt"
tables=$(wc -l < "${DUMP}.source.txt")
rows=$(awk '{s += $2} END {print s}' "${DUMP}.source.txt")
if diff -u "${DUMP}.source.txt" "${DUMP}.copie.txt"; then
    echo "vérification : $tables tables, $rows lignes, identiques dans la copie"
else
    echo "vérification : ÉCHEC, les nombres de lignes diffèrent (ci-dessus)" >&2
    exit 1
fi

# The application sees a complete schema in the copy (no migration missing) and answers on it.
if [ -x .venv/bin/python ]; then
    url="postgres://${PGUSER}@${PGHOST}:${PGPORT}/${COPY}"
    DJANGO_SETTINGS_MODULE=config.settings.dev DATABASE_URL="$url" .venv/bin/python manage.py migrate --check >/dev/null
    pages=$(DJANGO_SETTINGS_MODULE=config.settings.dev DATABASE_URL="$url" .venv/bin/python manage.py shell -v 0 \
        -c "from wagtail.models import Page; print(Page.objects.live().count())")
    echo "application : migrations à jour, $pages pages publiées lues dans la copie"
fi
