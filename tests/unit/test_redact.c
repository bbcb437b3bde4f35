/* test_redact.c: secrets never reach a report (reports/redact.h), and
 * control bytes are escaped. */
#include "testutil.h"

#include "reports/redact.h"

static void test_secrets_are_found_and_masked(void **state)
{
	(void)state;
	wf_set *s = wf_set_new();
	diag_list *d = diag_list_new();
	char err[256];
	assert_int_equal(wf_set_load_file(s, "tests/data/secrets.yaml", d, err, sizeof err), 0);
	redact *r = redact_collect(s);
	assert_non_null(r);
	/* two stringData values of the manifest's Secret, one env literal */
	assert_int_equal(redact_count(r), 3);

	size_t len;
	const char *line = wf_set_line(s, "tests/data/secrets.yaml", 23, &len);
	assert_non_null(line);
	char buf[256];
	memcpy(buf, line, len);
	buf[len] = 0;
	redact_line(r, "tests/data/secrets.yaml", 23, buf, len);
	assert_string_equal(buf, "          token: **********************");

	diag_list *in = diag_list_new(), *out = diag_list_new();
	diag_add(in, DIAG_ERROR, "x", "f.yaml", 1, 1, 0, 0, "not hf_LiteralLeak789 again",
		 "'%s' and '%s'", "hf_SuperSecretToken123", "hf_OtherSecretToken456");
	assert_int_equal(redact_findings(r, in, out), 0);
	assert_string_equal(diag_get(out, 0)->msg, "'<redacted>' and '<redacted>'");
	assert_string_equal(diag_get(out, 0)->hint, "not <redacted> again");
	diag_list_free(in);
	diag_list_free(out);
	redact_free(r);
	diag_list_free(d);
	wf_set_free(s);
}

static void test_control_bytes_are_escaped(void **state)
{
	(void)state;
	char *out = NULL;
	size_t outlen = 0;
	FILE *f = open_memstream(&out, &outlen);
	assert_non_null(f);
	/* ESC, BEL, DEL, a C1 control, a stray continuation byte; tab and é kept */
	static const char in[] = "a\x1b[31m\x07\x7f\xc2\x85\x80\tb\xc3\xa9";
	size_t cols = report_put_escaped(f, in, sizeof in - 1);
	fclose(f);
	assert_string_equal(out, "a\\x1b[31m\\x07\\x7f\\xc2\\x85\\x80\tb\xc3\xa9");
	assert_int_equal(cols, 1 + 4 + 4 + 4 + 4 + 4 + 4 + 4 + 1 + 1 + 1);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_secrets_are_found_and_masked),
		cmocka_unit_test(test_control_bytes_are_escaped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
