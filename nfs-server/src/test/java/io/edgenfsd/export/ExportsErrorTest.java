package io.edgenfsd.export;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every way loading can fail, each with its exact {@code file:line: message}. Line 3 is always the bad one. */
class ExportsErrorTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "/srv *(rww)                          | unknown export option \"rww\"",
        "/srv *(rw,no_such_thing=1)           | unknown export option \"no_such_thing=1\"",
        "/srv -rw,bogus *                     | unknown export option \"bogus\"",
        "/srv *(anonuid=abc)                  | bad anonuid \"abc\": expected a number",
        "/srv *(anonuid=)                     | bad anonuid \"\": expected a number",
        "/srv *(anongid=1.5)                  | bad anongid \"1.5\": expected a number",
        "/srv *(anonuid=99999999999)          | bad anonuid \"99999999999\": out of range",
        "/srv *(anonuid=-1)                   | bad anonuid \"-1\": -1 is not a valid id",
        "/srv *(fsid=)                        | bad fsid \"\": expected a number, \"root\" or a UUID",
        "/srv *(fsid=abc)                     | bad fsid \"abc\": expected a number, \"root\" or a UUID",
        "/srv *(fsid=08)                      | bad fsid \"08\": expected a number, \"root\" or a UUID",
        "/srv *(fsid=4294967296)              | bad fsid \"4294967296\": out of range",
        "/srv *(sec=krb5)                     | sec=krb5 is not supported: this server offers only sec=sys (AUTH_SYS)",
        "/srv *(sec=sys:krb5p)                | sec=krb5p is not supported: this server offers only sec=sys (AUTH_SYS)",
        "/srv *(sec=krb5i)                    | sec=krb5i is not supported: this server offers only sec=sys (AUTH_SYS)",
        "/srv *(sec=none)                     | sec=none is not supported: this server offers only sec=sys (AUTH_SYS)",
        "/srv *(sec=unix)                     | unknown security flavor \"unix\" in \"sec=unix\"",
        "/srv *(sec=)                         | unknown security flavor \"\" in \"sec=\"",
        "/srv *(refer=/x@otherhost)           | \"refer=\" is not supported: this server does not send NFSv4 referrals",
        "/srv *(replicas=/x@h)                | \"replicas=\" is not supported: this server does not send NFSv4 referrals",
        "/srv *(squash_uids=0-99)             | \"squash_uids=\" is not supported: use all_squash or root_squash",
        "/srv *(xprtsec=tls)                  | \"xprtsec=tls\" is not supported: this server has no RPC-with-TLS, only xprtsec=none",
        "/srv *(mp=relative)                  | bad value in \"mp=relative\": the mount point must be an absolute path",
        "srv *(rw)                            | export path must be absolute: \"srv\"",
        "./srv *(rw)                          | export path must be absolute: \"./srv\"",
        "/srv/../etc *(rw)                    | export path must not contain \"..\": \"/srv/../etc\"",
        "\"\" *(rw)                           | missing export path",
        "\"/srv *(rw)                         | missing closing double quote",
        "/srv *(rw                            | missing \")\" in \"*(rw\"",
        "/srv *(rw)x                          | bad option list in \"*(rw)x\": expected CLIENT(OPTIONS) with nothing after \")\"",
        "/srv *(rw)(ro)                       | bad option list in \"*(rw)(ro)\": expected CLIENT(OPTIONS) with nothing after \")\"",
        "/srv a)b(rw)                          | bad option list in \"a)b(rw)\": expected CLIENT(OPTIONS) with nothing after \")\"",
        "/srv a)(b                            | missing \")\" in \"a)(b\"",
        "/srv/a\\000b *                       | bad escape \"\\000\" in path: expected \\001 to \\377",
        "/srv/a\\400 *                        | bad escape \"\\400\" in path: expected \\001 to \\377",
        "/srv/a\\377 *                        | path \"/srv/a\\377\" is not valid UTF-8 after its \\ooo escapes",
        "/srv @trusted(rw)                    | netgroup client \"@trusted\" is not supported (no NIS here): list the hosts or a network instead",
        "/srv gss/krb5(rw)                    | client \"gss/krb5\" is not supported: this server offers only sec=sys (AUTH_SYS)",
        "/srv 10.0.0.256(rw)                  | invalid IPv4 address in \"10.0.0.256\"",
        "/srv 10.0.0.0/33(rw)                 | bad prefix length in \"10.0.0.0/33\": at most /32",
        "/srv 10.0.0.0/255.0.255.0            | bad netmask in \"10.0.0.0/255.0.255.0\": the one-bits of a netmask must be contiguous",
        "/srv 10.0.0.0/x                      | bad network \"10.0.0.0/x\": expected ADDRESS/PREFIX or ADDRESS/NETMASK",
        "/srv fd00::/129                      | bad prefix length in \"fd00::/129\": at most /128",
        "/srv fe80::1%eth0                    | invalid IPv6 address in \"fe80::1%eth0\"",
        "/srv ho$t(rw)                        | invalid client specification \"ho$t\"",
        "/srv pi[0-9.lan                      | unterminated \"[\" in wildcard client \"pi[0-9.lan\"",
        "/srv *(rw) *(ro)                     | client \"*\" for /srv is already given at f:3",
        "/srv *(fsid=1) 10.0.0.1(fsid=2)      | fsid=2 for /srv differs from fsid=1 at f:3",
    })
    void badLineFailsWithFileLineAndExactProblem(String badLine, String problem) {
        String[] lines = {"# header", "/ok *(rw)", badLine.strip(), "/after *"};
        assertThatThrownBy(() -> ExportTable.fromLines(Arrays.asList(lines), "f"))
                .isInstanceOf(ExportsException.class)
                .hasMessage("f:3: " + problem);
    }

    @Test
    void sameFsidOnTwoPathsNamesTheOtherPathAndPlace() {
        assertThatThrownBy(() -> ExportTable.fromLines(List.of("# h", "/ok *(fsid=5)", "/dup *(fsid=5)"), "f"))
                .hasMessage("f:3: fsid=5 of /dup is already used by /ok at f:2");
    }

    @Test
    void differentFsidsForOnePathOnTwoLinesNameTheFirstPlace() {
        assertThatThrownBy(() -> ExportTable.fromLines(List.of("# h", "/ok 10.0.0.1(fsid=6)", "/ok *(fsid=5)"), "f"))
                .hasMessage("f:3: fsid=5 for /ok differs from fsid=6 at f:2");
    }
}
