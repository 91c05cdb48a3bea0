# tests/lab/lib.sh - shell helpers for tests that use the lab (sourced)

# lab_parent_ds NET DOMAIN: the DS records (TAG ALG TYPE DIGEST, sorted)
# that each of the lab's two servers of lab. (NET.1.1, NET.1.2) serves for
# DOMAIN, one block per server, each ended by a line "--".
lab_parent_ds() {
	for s in "$1.1.1" "$1.1.2"; do
		dig +norec +time=2 +tries=2 @"$s" "$2" DS |
		    awk '$4 == "DS" { print $5, $6, $7, toupper($8 $9) }' | sort
		echo "--"
	done
}
