#!/usr/bin/env bash
# The main job on files that are not images it can read: each must end with a clear
# "error: ..." message and exit status 1, never a crash (an abort is status 134).
#   demo_bad_images.sh <hk_demo> <scratch dir> <a good PNG>
set -u
demo="$1" dir="$2" good="$3"
rm -rf "$dir" && mkdir -p "$dir" && cd "$dir" || exit 1
echo "not an image" > text.png
: > empty.png
head -c 3000 "$good" > truncated.png
printf '\x89PNG\r\n\x1a\n' > header_only.png
printf '\xff\xd8\xff\xe0garbage' > bad.jpg
mkdir directory.png
failures=0
for f in text.png empty.png truncated.png header_only.png bad.jpg directory.png missing.png; do
    "$demo" "$f" --out out --repeat 1 > stdout.txt 2> stderr.txt
    rc=$?
    if [ "$rc" -ne 1 ] || ! grep -q "^error: .*$f" stderr.txt; then
        echo "FAIL $f: exit status $rc, stderr: $(cat stderr.txt)"
        failures=$((failures + 1))
    else
        echo "ok   $f: $(cat stderr.txt)"
    fi
done
# And the good image still runs.
"$demo" "$good" --out out --repeat 1 > /dev/null 2> stderr.txt || { echo "FAIL good image: $(cat stderr.txt)"; failures=$((failures + 1)); }
[ "$failures" -eq 0 ]
