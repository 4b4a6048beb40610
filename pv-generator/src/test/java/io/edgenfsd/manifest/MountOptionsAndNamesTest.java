package io.edgenfsd.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MountOptionsAndNamesTest {

    private static List<MountOptions.Finding> check(String... opts) {
        return MountOptions.check(List.of(opts));
    }

    @Test
    void acceptsTheDefaultOptionsAndCommonTuningOptions() {
        assertThat(check("hard", "nfsvers=4.1")).isEmpty();
        assertThat(check("hard", "vers=4", "rsize=1048576", "wsize=1048576", "timeo=600", "retrans=2", "noatime",
                "proto=tcp", "sec=sys", "nconnect=4", "lookupcache=positive", "minorversion=1")).isEmpty();
    }

    @Test
    void flagsOptionsTheLinuxNfsClientRejects() {
        assertThat(check("nfsver=4.1")).singleElement().satisfies(f -> {
            assertThat(f.fatal).isTrue();
            assertThat(f.message).contains("Unknown parameter");
        });
        assertThat(check("hard=1").get(0).message).contains("takes no value");
        assertThat(check("rsize=big").get(0).message).contains("whole number");
        assertThat(check("timeo").get(0).message).contains("needs a value");
        assertThat(check("nfsvers=5").get(0).message).contains("unknown NFS version");
        assertThat(check("hard,nfsvers=4.1").get(0).message).contains("one option per list item");
        assertThat(check("proto=udp", "nfsvers=4.1")).anySatisfy(f -> assertThat(f.message).contains("UDP"));
    }

    @Test
    void flagsVersionsAndSecurityFlavorsEdgeNfsdDoesNotServe() {
        assertThat(check("nfsvers=4.2").get(0).message).contains("4.1 only");
        assertThat(check("nfsvers=3").get(0).fatal).isTrue();
        assertThat(check("sec=krb5").get(0).message).contains("AUTH_SYS");
    }

    @Test
    void warnsButDoesNotFailForSoftMounts() {
        assertThat(check("soft")).singleElement().satisfies(f -> assertThat(f.fatal).isFalse());
        assertThat(check("hard", "soft").get(0).message).contains("last one wins");
    }

    @Test
    void checksObjectNamesNamespacesAndLabelsLikeTheApiServer() {
        assertThat(Names.checkSubdomain("pv001")).isNull();
        assertThat(Names.checkSubdomain("nfs.example.com")).isNull();
        assertThat(Names.checkSubdomain("PV001")).contains("lowercase");
        assertThat(Names.checkSubdomain("-pv")).isNotNull();
        assertThat(Names.checkSubdomain("a".repeat(254))).contains("253");
        assertThat(Names.checkLabel("default")).isNull();
        assertThat(Names.checkLabel("my.ns")).isNotNull();
        assertThat(Names.checkLabel("a".repeat(64))).contains("63");
        assertThat(Names.checkLabelKey("app.kubernetes.io/name")).isNull();
        assertThat(Names.checkLabelKey("/name")).contains("prefix");
        assertThat(Names.checkLabelKey("Bad_Prefix/x")).contains("prefix");
        assertThat(Names.checkLabelValue("")).isNull();
        assertThat(Names.checkLabelValue("Fast_SSD.1")).isNull();
        assertThat(Names.checkLabelValue("-x")).isNotNull();
    }
}
