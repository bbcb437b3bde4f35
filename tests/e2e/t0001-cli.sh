# t0001: the CLI dispatcher: help, version, unknown commands and stubs.
. "$(dirname "$0")/lib.sh"

run "$REHEARSE" --help;          expect_status 0; expect_out "usage: rehearse <command>"
run "$REHEARSE" --version;       expect_status 0; expect_out "rehearse 0."
run "$REHEARSE";                 expect_status 2; expect_err "usage: rehearse"
run "$REHEARSE" frobnicate;      expect_status 2; expect_err "'frobnicate' is not a command"
run "$REHEARSE" sweep;           expect_status 2; expect_err "no workflow given"
pass
