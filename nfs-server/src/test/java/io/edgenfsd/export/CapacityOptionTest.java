package io.edgenfsd.export;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** edge-nfsd's own capacity= export option: a Kubernetes quantity of bytes, one per export. */
class CapacityOptionTest {
    private static ExportTable parse(String... lines) throws ExportsException {
        return ExportTable.fromLines(List.of(lines), "exports");
    }

    @Test
    void capacityIsAKubernetesQuantityOfBytes() throws Exception {
        ExportTable t = parse("/srv/a *(rw,capacity=5Gi)", "/srv/b *(rw,capacity=500M)", "/srv/c *(rw)");
        assertThat(t.byPath("/srv/a").orElseThrow().capacity().getAsLong()).isEqualTo(5L << 30);
        assertThat(t.byPath("/srv/b").orElseThrow().capacity().getAsLong()).isEqualTo(500_000_000L);
        assertThat(t.byPath("/srv/c").orElseThrow().capacity()).isEmpty();
    }

    @Test
    void malformedCapacitiesAreRefusedWithFileAndLine() {
        for (String bad : new String[] {"capacity=5GB", "capacity=", "capacity=-1Gi", "capacity=1.5", "capacity=10Ki",
            "capacity=lots"}) {
            assertThatThrownBy(() -> parse("/srv/ok *(rw)", "/srv/a *(rw," + bad + ")"))
                    .as(bad).isInstanceOf(ExportsException.class)
                    .hasMessageStartingWith("exports:2:").hasMessageContaining("capacity");
        }
    }

    @Test
    void twoClientsOfOneExportMustAgreeOnItsCapacity() throws Exception {
        assertThat(parse("/srv/a 10.0.0.1(rw,capacity=1Gi) 10.0.0.2(ro,capacity=1Gi)").byPath("/srv/a").orElseThrow()
                .capacity().getAsLong()).isEqualTo(1L << 30);
        assertThatThrownBy(() -> parse("/srv/a 10.0.0.1(rw,capacity=1Gi)", "/srv/a 10.0.0.2(rw,capacity=2Gi)"))
                .isInstanceOf(ExportsException.class).hasMessageStartingWith("exports:2:")
                .hasMessageContaining("capacity of /srv/a").hasMessageContaining("exports:1");
    }
}
