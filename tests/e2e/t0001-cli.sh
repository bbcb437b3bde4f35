# t0001: the CLI dispatcher: help, version, unknown commands and stubs.
. "$(dirname "$0")/lib.sh"

test_expect_success '--help prints the usage, --version the version; both exit 0' '
	run "$REHEARSE" --help;          expect_status 0; expect_out "usage: rehearse <command>"
	run "$REHEARSE" --version;       expect_status 0; expect_out "rehearse 0."
'

test_expect_success 'no command: the usage on stderr, exit 2' '
	run "$REHEARSE";                 expect_status 2; expect_err "usage: rehearse"
'

test_expect_success 'an unknown command is named, exit 2' '
	run "$REHEARSE" frobnicate;      expect_status 2; expect_err "'\''frobnicate'\'' is not a command"
'

test_expect_success 'a command given no workflow says so, exit 2' '
	run "$REHEARSE" sweep;           expect_status 2; expect_err "no workflow given"
'
test_done
