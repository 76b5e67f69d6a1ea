#!/usr/bin/env bash
# Benchmark (not a test): backs up a generated database and a volume of files with Lifeboat, and in
# the same run times what users' DR-plan scripts do (pg_dump | gzip, tar czf, sha256sum) on the very
# same data. Prints the ratio Lifeboat / baseline. Data looks real: random prose, JSON and binary.
# Then the same over SFTP to an OpenSSH sshd on loopback (started here, stopped by PID): Lifeboat's
# backup and copy of the point against scp and sftp of the same bytes from the command line.
#   BENCH_DB_MB (default 1024)   size of the generated database
#   BENCH_FILES_MB (default 1024) size of the generated files
#   BENCH_WAL_MB (default 256)   WAL written for the shipping measurement
#   BENCH_TRIALS (default 3)     rounds of the restore comparison (the sides in turn; medians reported)
# Then restores in place, against restic (Debian's package, installed when missing: restic dump |
# pg_restore and restic restore) and against the raw limit (pg_restore of a local uncompressed dump,
# tar x). Last, WAL shipping (PITR): the WAL of the same workload caught up by Lifeboat's shipping
# (receive, compress, encrypt, hash, store durably) against raw pg_receivewal into a local directory.
# Each round also times the restore test of the same point (into a sandbox, checked), against the raw limit.
# The report ends with the lines scripts read: restore ratios, downtime, backup ratio against restic.
# Needs root and dockerd (scripts/provision.sh runs first). Removes what it creates, by label.
set -euo pipefail
cd "$(dirname "$0")/.."
DB_MB=${BENCH_DB_MB:-1024}
FILES_MB=${BENCH_FILES_MB:-1024}
NAME=bench$$
WORK=$(mktemp -d /var/tmp/lifeboat-bench.XXXXXX)
HOME_DIR="$WORK/home"
# as the ./lifeboat launcher runs it: the first command records a class data sharing archive, the later ones map it
LB() {
  local cds=(-Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off) jsa="$WORK/app/lifeboat.jsa"
  if [ -s "$jsa" ]; then cds+=(-XX:SharedArchiveFile="$jsa"); else cds+=(-XX:ArchiveClassesAtExit="$jsa"); fi
  java "${cds[@]}" ${LIFEBOAT_JAVA_OPTS:-} -cp "$WORK/app/lifeboat.jar:$WORK/app/lib/*" dev.lifeboat.Lifeboat --home "$HOME_DIR" "$@"
}
log() { printf '[bench] %s\n' "$*" >&2; }
SSHD_PID=
cleanup() {
  if [ -n "$SSHD_PID" ]; then kill "$SSHD_PID" 2>/dev/null || true; fi
  if [ -n "${BENCH_KEEP:-}" ]; then log "kept $WORK and stack $NAME (BENCH_KEEP)"; return; fi
  LB demo down local --name "$NAME" >/dev/null 2>&1 || true
  # and by label, should the history be unreadable: nothing of the bench's stack stays behind
  docker ps -aq --filter "label=lifeboat.demo=$NAME" | xargs -r docker rm -f >/dev/null 2>&1 || true
  docker volume ls -q --filter "label=lifeboat.demo=$NAME" | xargs -r docker volume rm >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

scripts/provision.sh
./mvnw -B -q -DskipTests package
mkdir -p "$WORK/app" && cp -r target/lifeboat.jar target/lib "$WORK/app/"   # immune to rebuilds during the run
LB key generate "$WORK/repo.key" >/dev/null
LB host add local --docker unix:///var/run/docker.sock >/dev/null
LB dest add bench --dir "$WORK/dest" --key-file "$WORK/repo.key" >/dev/null
LB demo up local --name "$NAME" --config-dir "$WORK/config" >/dev/null
DB="$NAME-db"

WORDS='the of and to in is was for on that with as by at from backup restore volume server database
cluster replica snapshot invoice customer order payment shipping address account session token cache
queue worker request response latency error warning retry timeout deploy release version config secret
certificate network storage disk memory thread process container image registry service health check
monitor alert incident recovery drill target objective point time window schedule daily weekly monthly
north south east west report quarter revenue margin growth churn retention signup login logout search
profile settings upload download photo document spreadsheet message comment review rating product price'

gen_rows() { # id \t title \t body \t meta(json) \t blob(bytea hex)
  perl -e '
    use strict; my @w = split /\s+/, $ENV{WORDS}; my $n = $ARGV[0]; srand(7);
    for my $id (1..$n) {
      my $title = join " ", map { $w[rand @w] } 1..6;
      my $body = join " ", map { $w[rand @w] . (rand() < 0.08 ? "." : "") } 1..(200 + int rand 200);
      my $tags = join ",", map { "\"" . $w[rand @w] . "\"" } 1..(1 + int rand 4);
      my $meta = sprintf("{\"user\": %d, \"score\": %.4f, \"tags\": [%s], \"ip\": \"10.%d.%d.%d\", \"ok\": %s}",
        int rand 1e6, rand 100, $tags, rand 255, rand 255, rand 255, rand() < 0.9 ? "true" : "false");
      my $blob = join "", map { sprintf "%02x", int rand 256 } 1..(256 + int rand 768);
      print "$id\t$title\t$body\t$meta\t\\\\x$blob\n";
    }' "$1"
}
export WORDS
rows=$(( DB_MB * 1024 * 1024 / 2100 ))   # ~2.1 KB per row on disk (PostgreSQL compresses the prose in TOAST)
log "generating a ${DB_MB} MiB database ($rows rows of prose, JSON and bytea)"
docker exec "$DB" psql -q -U postgres -c "CREATE DATABASE benchdb" >/dev/null
docker exec "$DB" psql -q -U postgres -d benchdb -c \
  "CREATE TABLE docs (id bigint PRIMARY KEY, title text NOT NULL, body text NOT NULL, meta jsonb NOT NULL, blob bytea NOT NULL)" >/dev/null
gen_rows "$rows" | docker exec -i "$DB" psql -q -U postgres -d benchdb -c "COPY docs FROM STDIN" >/dev/null
docker exec "$DB" psql -q -U postgres -d benchdb -c "VACUUM ANALYZE docs" >/dev/null
dbsize=$(docker exec "$DB" psql -At -U postgres -d benchdb -c "SELECT pg_database_size('benchdb')")

VOL=$(docker volume inspect -f '{{.Mountpoint}}' "${NAME}_uploads")
log "generating ${FILES_MB} MiB of files in volume ${NAME}_uploads (logs, JSON, photos)"
n=$(( FILES_MB / 2 ))
mkdir -p "$VOL/logs" "$VOL/api" "$VOL/photos"
perl -e '
  use strict; my @w = split /\s+/, $ENV{WORDS}; my ($dir, $n) = @ARGV; srand(11);
  for my $i (1..$n) {
    open(my $f, ">", "$dir/logs/app-$i.log") or die; my $s = 0;
    while ($s < 700_000) { my $l = sprintf("2026-11-%02d %02d:%02d:%02d INFO %s\n", 1 + $i % 28, rand 24, rand 60, rand 60,
      join(" ", map { $w[rand @w] } 1..(8 + int rand 16))); print $f $l; $s += length $l; } close $f;
    open($f, ">", "$dir/api/export-$i.json") or die; $s = 0;
    while ($s < 600_000) { my $l = sprintf("{\"id\": %d, \"name\": \"%s\", \"price\": %.2f, \"tags\": [\"%s\", \"%s\"]}\n",
      int rand 1e9, $w[rand @w] . " " . $w[rand @w], rand 1000, $w[rand @w], $w[rand @w]); print $f $l; $s += length $l; } close $f;
  }' "$VOL" "$n"
for i in $(seq 1 "$n"); do head -c 800000 /dev/urandom > "$VOL/photos/IMG_$i.jpg"; done
filesize=$(du -sb "$VOL" | cut -f1)
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true

log "baseline: pg_dump | gzip, tar czf, sha256sum (what the DR-plan scripts do)"
t0=$(date +%s.%N)
docker exec "$DB" pg_dump -U postgres benchdb | gzip > "$WORK/benchdb.sql.gz"
ta=$(date +%s.%N)
tar czf "$WORK/files.tar.gz" -C "$VOL" .
tb=$(date +%s.%N)
sha256sum "$WORK/benchdb.sql.gz" "$WORK/files.tar.gz" > "$WORK/SHA256SUMS"
t1=$(date +%s.%N)
log "baseline steps: pg_dump|gzip $(awk -v a="$t0" -v b="$ta" 'BEGIN{printf "%.1f", b-a}') s, tar czf $(awk -v a="$ta" -v b="$tb" 'BEGIN{printf "%.1f", b-a}') s, sha256sum $(awk -v a="$tb" -v b="$t1" 'BEGIN{printf "%.1f", b-a}') s"
base_bytes=$(( $(stat -c %s "$WORK/benchdb.sql.gz") + $(stat -c %s "$WORK/files.tar.gz") ))
rm -f "$WORK/benchdb.sql.gz" "$WORK/files.tar.gz"
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true

log "lifeboat backup (dump + tar + zstd + AES-256-GCM + SHA-256, one pass, assets in parallel)"
t2=$(date +%s.%N)
json=$(LIFEBOAT_JAVA_OPTS="${LIFEBOAT_JAVA_OPTS:--Xmx256m}" LB backup "local/$NAME" --to bench --json | tr -d ' \n')
t3=$(date +%s.%N)
lb_bytes=$(printf '%s' "$json" | sed -E 's/.*"storedBytes":([0-9]+).*/\1/')
point=$(printf '%s' "$json" | sed -E 's/.*"location":"([^"]+)".*/\1/')
perl -MJSON::PP -e 'local $/; my $m = decode_json(<STDIN>);
  printf STDERR "[bench]   %-28s %7.1f s  %8.1f MiB plain -> %8.1f MiB stored\n", $_->{name}, $_->{durationMs} / 1000,
    eval { my $s = 0; $s += $_->{plainBytes} for @{$_->{artifacts}}; $s } / 1048576,
    eval { my $s = 0; $s += $_->{storedBytes} for @{$_->{artifacts}}; $s } / 1048576 for @{$m->{assets}};' \
  < "$point/manifest.json" || true

python_free_ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

log "SFTP: an OpenSSH sshd on loopback, root by key"
mkdir -p "$WORK/ssh" "$WORK/sftp-store" "$WORK/scp-copy" "$WORK/sftp-copy" /run/sshd
ssh-keygen -q -t ed25519 -N '' -f "$WORK/ssh/hostkey"
ssh-keygen -q -t ed25519 -N '' -f "$WORK/ssh/client"
cp "$WORK/ssh/client.pub" "$WORK/ssh/authorized_keys"
SSH_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$WORK/ssh/sshd_config" <<SSHD
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $WORK/ssh/hostkey
PidFile $WORK/ssh/sshd.pid
AuthorizedKeysFile $WORK/ssh/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
Subsystem sftp /usr/lib/openssh/sftp-server
SSHD
/usr/sbin/sshd -D -e -f "$WORK/ssh/sshd_config" 2>"$WORK/ssh/sshd.log" &
SSHD_PID=$!
for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$SSH_PORT") 2>/dev/null && break; sleep 0.1; done
FP=$(ssh-keygen -l -f "$WORK/ssh/hostkey.pub" | cut -d' ' -f2)
SSH_OPTS=(-q -i "$WORK/ssh/client" -P "$SSH_PORT" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null)
LB dest add vault --sftp "root@127.0.0.1:$SSH_PORT:$WORK/sftp-store" --identity "$WORK/ssh/client" \
  --accept-host-key "$FP" --key-file "$WORK/repo.key" >/dev/null
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
t4=$(date +%s.%N)
LIFEBOAT_JAVA_OPTS="${LIFEBOAT_JAVA_OPTS:--Xmx256m}" LB backup "local/$NAME" --to vault -q >/dev/null
t5=$(date +%s.%N)
point_id=$(basename "$point")
LIFEBOAT_JAVA_OPTS="${LIFEBOAT_JAVA_OPTS:--Xmx256m}" LB replicate "$point_id" --to vault -q >/dev/null
t6=$(date +%s.%N)
scp "${SSH_OPTS[@]}" -r "$point" "root@127.0.0.1:$WORK/scp-copy/"
t7=$(date +%s.%N)
printf 'put -r %s %s\n' "$point" "$WORK/sftp-copy/" | sftp "${SSH_OPTS[@]}" -b - "root@127.0.0.1" >/dev/null
t8=$(date +%s.%N)
lb_sftp_s=$(secs "$t4" "$t5"); copy_s=$(secs "$t5" "$t6"); scp_s=$(secs "$t6" "$t7"); sftp_s=$(secs "$t7" "$t8")
log "restore: Lifeboat in place, against restic and against the raw limit, on the same data"
command -v restic >/dev/null || { log "installing restic from Debian's package"; apt-get install -y -qq restic >/dev/null 2>&1; }
export RESTIC_REPOSITORY="$WORK/restic" RESTIC_PASSWORD_FILE="$WORK/restic.pass"
head -c 24 /dev/urandom | base64 > "$RESTIC_PASSWORD_FILE"
restic init -q >/dev/null
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
t20=$(date +%s.%N)
docker exec "$DB" pg_dump -U postgres -Fc benchdb | restic backup -q --tag db --stdin --stdin-filename benchdb.dump >/dev/null
restic backup -q --tag files "$VOL" >/dev/null
t21=$(date +%s.%N)
restic_backup_s=$(secs "$t20" "$t21")
# the raw limit's inputs, made untimed: an uncompressed dump file and a plain tar, on local disk
docker exec "$DB" pg_dump -U postgres -Fc -Z0 benchdb > "$WORK/raw.dump"
tar cf "$WORK/raw.tar" -C "$VOL" .

# Each side starts from the same state: the live table vacuumed, the server checkpointed (so no side pays for
# the dirty buffers and WAL the side before it left), the host's dirty pages written, the page cache dropped. Each side ends when what it
# restored is on disk: Lifeboat's restore writes the staged data out (sync) before it swaps, restic's restore and
# tar x do not, so their time includes a sync at the end (shown apart). The sides take turns, round after round
# (BENCH_TRIALS, default 3), and the report uses each side's median: one restore of this size varies by 10-20 %
# from run to run on two cores, more than the goal's margin.
settle() {
  # the previous side's fresh table vacuumed now, so that no side shares its time with autovacuum's first pass
  # over the table the side before it wrote (pg_restore --clean drops a table autovacuum is still at; a restore
  # beside it does not)
  docker exec "$DB" psql -X -q -U postgres -d benchdb -c "VACUUM (ANALYZE)" >/dev/null
  docker exec "$DB" psql -X -q -U postgres -c CHECKPOINT >/dev/null
  sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
}
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { printf "%.1f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
print_phases() { # $1: a label before each phase's name; stdin: a restore's or restore test's JSON report
  perl -MJSON::PP -e 'local $/; my $r = decode_json(<STDIN>);
    printf STDERR "[bench]   %-28s %7.1f s\n", "$ARGV[0]$_->{name}", $_->{durationMs} / 1000 for @{$r->{phases}}' "$1" || true
}
lb_trial() { # prints seconds and downtime; the replaced data it kept on the host is released (untimed)
  local a b restored down
  settle
  a=$(date +%s.%N)
  restored=$(LIFEBOAT_JAVA_OPTS="${LIFEBOAT_JAVA_OPTS:--Xmx256m}" LB restore "$point_id" --json)
  b=$(date +%s.%N)
  # downtime: from stopping the app to the stack healthy again, as the restore reports it (staging beside the live
  # data and the checks after run while the app serves)
  down=$(printf '%s' "$restored" | perl -MJSON::PP -e 'local $/; printf "%.1f", decode_json(<STDIN>)->{downtimeMs} / 1000')
  printf '%s' "$restored" | print_phases ""
  for id in $(LB safety list "local/$NAME" 2>/dev/null | awk '{ print $1 }'); do LB safety release "$id" >/dev/null; done
  echo "$(secs "$a" "$b") $down"
}
other_trial() { # $1: a fresh directory for the files, $2: the restore (a function given that directory); prints
  # seconds, then the final sync's seconds
  local a b m
  rm -rf "$1"; mkdir -p "$1"
  settle
  a=$(date +%s.%N)
  "$2" "$1"
  m=$(date +%s.%N)
  sync
  b=$(date +%s.%N)
  echo "$(secs "$a" "$b") $(secs "$m" "$b")"
}
restic_restore() {
  restic dump -q --tag db latest /benchdb.dump | docker exec -i "$DB" pg_restore -U postgres -d benchdb --clean --if-exists
  restic restore -q --tag files latest --target "$1" >/dev/null
}
raw_restore() {
  docker exec -i "$DB" pg_restore -U postgres -d benchdb --clean --if-exists < "$WORK/raw.dump"
  tar xf "$WORK/raw.tar" -C "$1"
}
# the proof: the same point restored into a sandbox (fresh containers on their own network) and checked, as
# 'verify --restore-test' and every drill do; its raw limit is the raw restore without its sync
sandbox_trial() { # prints seconds
  local a b tested
  settle
  a=$(date +%s.%N)
  tested=$(LIFEBOAT_JAVA_OPTS="${LIFEBOAT_JAVA_OPTS:--Xmx256m}" LB verify "$point_id" --restore-test --json)
  b=$(date +%s.%N)
  printf '%s' "$tested" | print_phases "sandbox "
  secs "$a" "$b"
}
TRIALS=${BENCH_TRIALS:-3}
lb_runs=(); downs=(); restic_runs=(); raw_runs=(); restic_syncs=(); raw_syncs=(); sandbox_runs=()
for trial in $(seq 1 "$TRIALS"); do
  log "restore round $trial of $TRIALS: Lifeboat, restic, raw, restore test"
  r=$(lb_trial); lb_runs+=("${r% *}"); downs+=("${r#* }")
  r=$(other_trial "$WORK/restic-vol" restic_restore); restic_runs+=("${r% *}"); restic_syncs+=("${r#* }")
  r=$(other_trial "$WORK/raw-vol" raw_restore); raw_runs+=("${r% *}"); raw_syncs+=("${r#* }")
  sandbox_runs+=("$(sandbox_trial)")
  log "  lifeboat ${lb_runs[-1]} s (downtime ${downs[-1]} s), restic ${restic_runs[-1]} s (its sync ${restic_syncs[-1]} s), raw ${raw_runs[-1]} s (its sync ${raw_syncs[-1]} s), restore test ${sandbox_runs[-1]} s"
done
lb_restore_s=$(median "${lb_runs[@]}"); downtime_s=$(median "${downs[@]}")
restic_restore_s=$(median "${restic_runs[@]}"); raw_restore_s=$(median "${raw_runs[@]}")
# the sandbox's data is thrown away, not made durable: its raw limit is the raw restore without the final sync
raw_unsynced=(); for i in "${!raw_runs[@]}"; do raw_unsynced+=("$(secs "${raw_syncs[$i]}" "${raw_runs[$i]}")"); done
raw_unsynced_s=$(median "${raw_unsynced[@]}"); sandbox_s=$(median "${sandbox_runs[@]}")
rm -rf "$WORK/raw.dump" "$WORK/raw.tar" "$WORK/raw-vol" "$WORK/restic-vol"

log "WAL shipping: the same workload's WAL caught up by Lifeboat, then by raw pg_receivewal"
WAL_MB=${BENCH_WAL_MB:-256}
PSQL() { docker exec "$DB" psql -X -q -At -U postgres -d benchdb -c "$1"; }
wal_rows=$(( rows * WAL_MB / DB_MB ))
wal_workload() { # $1: table; prints the WAL bytes it wrote
  local a b
  a=$(PSQL "SELECT pg_current_wal_lsn()")
  PSQL "CREATE TABLE $1 AS SELECT * FROM docs WHERE id <= $wal_rows" >/dev/null
  b=$(PSQL "SELECT pg_current_wal_lsn()")
  PSQL "SELECT pg_wal_lsn_diff('$b', '$a')::bigint"
}
LB pitr enable "local/$NAME" --to bench --switch-every 5 >/dev/null
LB pitr ship "local/$NAME" --flush >/dev/null
# the receiver stops (its walsender is ended); the slot keeps the WAL written meanwhile, as after an outage
PSQL "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name LIKE 'lifeboat_%' AND active_pid IS NOT NULL" >/dev/null
sleep 1
lb_wal_bytes=$(wal_workload walbench_lb)
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
t9=$(date +%s.%N)
flushed=$(LIFEBOAT_JAVA_OPTS="${LIFEBOAT_JAVA_OPTS:--Xmx256m}" LB pitr ship "local/$NAME" --flush)
t10=$(date +%s.%N)
lb_wal_inner_s=$(printf '%s' "$flushed" | sed -E 's/.* in ([0-9.]+) s.*/\1/')
# a slot that keeps WAL from its creation on, as Lifeboat's does (pg_receivewal --create-slot would start at the end)
PSQL "SELECT pg_create_physical_replication_slot('bench_raw', true)" >/dev/null
raw_wal_bytes=$(wal_workload walbench_raw)
raw_end=$(PSQL "SELECT pg_current_wal_lsn()")
docker exec "$DB" mkdir -p /var/tmp/bench-raw-wal
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
t11=$(date +%s.%N)
docker exec "$DB" pg_receivewal -U postgres -D /var/tmp/bench-raw-wal -S bench_raw -E "$raw_end" --no-loop 2>/dev/null
t12=$(date +%s.%N)
PSQL "SELECT pg_drop_replication_slot('bench_raw')" >/dev/null
docker exec "$DB" rm -rf /var/tmp/bench-raw-wal
LB pitr disable "local/$NAME" >/dev/null
lb_wal_s=$(secs "$t9" "$t10"); raw_wal_s=$(secs "$t11" "$t12")
lb_wal_mibs=$(awk -v b="$lb_wal_bytes" -v s="$lb_wal_s" 'BEGIN { printf "%.1f", b / 1048576 / s }')
raw_wal_mibs=$(awk -v b="$raw_wal_bytes" -v s="$raw_wal_s" 'BEGIN { printf "%.1f", b / 1048576 / s }')
lb_wal_inner_mibs=$(awk -v b="$lb_wal_bytes" -v s="$lb_wal_inner_s" 'BEGIN { printf "%.1f", b / 1048576 / s }')
base_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
lb_s=$(awk -v a="$t2" -v b="$t3" 'BEGIN { printf "%.1f", b - a }')
cat <<REPORT

Lifeboat benchmark ($(nproc) cores)
  data: database $(( dbsize / 1048576 )) MiB (prose, JSON, bytea) + files $(( filesize / 1048576 )) MiB (logs, JSON, random photos)
  baseline  pg_dump|gzip + tar czf + sha256sum : ${base_s} s, $(( base_bytes / 1048576 )) MiB written
  lifeboat  backup (encrypted, checksummed)    : ${lb_s} s, $(( lb_bytes / 1048576 )) MiB written
  time ratio lifeboat / baseline               : $(python_free_ratio "$lb_s" "$base_s")x   (goal: <= 0.5x)
  size ratio lifeboat / baseline               : $(python_free_ratio "$lb_bytes" "$base_bytes")x
  SFTP on loopback ($(( lb_bytes / 1048576 )) MiB point)
  backup to SFTP / backup to local disk        : $(python_free_ratio "$lb_sftp_s" "$lb_s")x   (${lb_sftp_s} s)
  lifeboat copy (and read-back) / scp -r       : $(python_free_ratio "$copy_s" "$scp_s")x   (scp ${scp_s} s)
  lifeboat copy (and read-back) / sftp put -r  : $(python_free_ratio "$copy_s" "$sftp_s")x   (sftp ${sftp_s} s)
  WAL shipping, catching up $(( lb_wal_bytes / 1048576 )) MiB of WAL (raw: $(( raw_wal_bytes / 1048576 )) MiB)
  lifeboat ${lb_wal_mibs} MiB/s (the command; ${lb_wal_inner_mibs} MiB/s after its start), raw pg_receivewal to a local directory ${raw_wal_mibs} MiB/s
  wal shipping throughput lifeboat / raw       : $(python_free_ratio "$lb_wal_mibs" "$raw_wal_mibs")x
  restore in place (median of ${TRIALS} rounds, the sides in turn): lifeboat ${lb_restore_s} s, restic dump|pg_restore
    + restic restore ${restic_restore_s} s, raw pg_restore of a local uncompressed dump + tar x ${raw_restore_s} s
    rounds: lifeboat ${lb_runs[*]} s; restic ${restic_runs[*]} s; raw ${raw_runs[*]} s; downtime ${downs[*]} s
    the final sync in restic's rounds ${restic_syncs[*]} s, in raw's ${raw_syncs[*]} s (Lifeboat's is in its restore)
  backup: restic ${restic_backup_s} s
  restore test (sandbox, checks included; median) ${sandbox_s} s, rounds ${sandbox_runs[*]} s
  restore test / raw restore (without its sync): $(python_free_ratio "$sandbox_s" "$raw_unsynced_s")x
restore ratio lifeboat / restic : $(python_free_ratio "$lb_restore_s" "$restic_restore_s")x
restore ratio lifeboat / raw : $(python_free_ratio "$lb_restore_s" "$raw_restore_s")x
restore downtime : ${downtime_s} s
backup ratio lifeboat / restic : $(python_free_ratio "$lb_s" "$restic_backup_s")x
REPORT
