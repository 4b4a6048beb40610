package io.edgenfsd.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules of DESIGN.md, checked on the compiled classes in {@code mvn verify}: rpc knows
 * nothing of NFS; ops uses neither java.nio.file nor Netty (it calls vfs and the codecs); state does no
 * disk I/O of its own and uses no vfs internals; the status types are a leaf everyone may use; no
 * package depends on itself through others.
 */
class PackageRulesTest {
    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.edgenfsd");
    }

    @Test
    void rpcKnowsNothingOfNfs() {
        ArchRule r = noClasses().that().resideInAPackage("io.edgenfsd.rpc..")
                .should().dependOnClassesThat().resideInAnyPackage("io.edgenfsd.compound..", "io.edgenfsd.ops..",
                        "io.edgenfsd.state..", "io.edgenfsd.vfs..", "io.edgenfsd.export..", "io.edgenfsd.server..",
                        "io.edgenfsd.status..");
        r.check(classes);
    }

    /**
     * Classes that break a rule today, each named with the reason, so the rule holds for every other class
     * and for every class added later. Remove an entry when its class is fixed (the test then holds it).
     */
    static final java.util.Map<String, String> KNOWN_VIOLATIONS = java.util.Map.of(
            "io.edgenfsd.ops.Read", "zero-copy READ builds a Netty DefaultFileRegion for RpcReply.appendRegion"
                    + "(FileRegion, ByteBuf), whose Netty-typed signature is the rpc package's API",
            "io.edgenfsd.ops.CreateSession", "reads its arguments from XdrDecoder's ByteBuf (state helper's op)",
            "io.edgenfsd.state.ClientStore", "state writes the client records itself (java.nio.file); DESIGN.md "
                    + "says state does no disk I/O of its own (state helper's area)");

    private static com.tngtech.archunit.base.DescribedPredicate<com.tngtech.archunit.core.domain.JavaClass> known() {
        return com.tngtech.archunit.base.DescribedPredicate.describe("a known violation",
                c -> KNOWN_VIOLATIONS.containsKey(c.getName()) || c.getName().contains("$")
                        && KNOWN_VIOLATIONS.containsKey(c.getName().substring(0, c.getName().indexOf('$'))));
    }

    @Test
    void knownViolationsStillExist() {
        for (String c : KNOWN_VIOLATIONS.keySet()) {
            org.assertj.core.api.Assertions.assertThat(classes.contain(c)).as(c).isTrue();
        }
    }

    @Test
    void opsUsesNeitherJavaNioFileNorNetty() {
        noClasses().that().resideInAPackage("io.edgenfsd.ops..").and(not(known()))
                .should().dependOnClassesThat().resideInAnyPackage("java.nio.file..", "io.netty..")
                .check(classes);
    }

    @Test
    void stateDoesNoDiskIoAndUsesNoVfsInternals() {
        noClasses().that().resideInAPackage("io.edgenfsd.state..").and(not(known()))
                .should().dependOnClassesThat(resideInAnyPackage("java.nio.file..", "java.nio.channels..",
                        "io.edgenfsd.vfs.linux..")
                        .or(resideInAPackage("io.edgenfsd.vfs").and(not(simpleName("FileKey")))))
                .check(classes);
    }

    @Test
    void statusIsALeafPackage() {
        noClasses().that().resideInAPackage("io.edgenfsd.status..")
                .should().dependOnClassesThat(resideInAPackage("io.edgenfsd..")
                        .and(not(resideInAPackage("io.edgenfsd.status.."))))
                .check(classes);
    }

    @Test
    void vfsIsReachedWithoutPathsOutsideTheLinuxBindings() {
        // the fd-relative VFS (issue 11): no java.nio.file path operation on a client's object
        noClasses().that().resideInAPackage("io.edgenfsd.vfs")
                .should().callMethod(java.nio.file.Files.class, "newByteChannel", java.nio.file.Path.class,
                        java.nio.file.OpenOption[].class)
                .orShould().callMethod(java.nio.channels.FileChannel.class, "open", java.nio.file.Path.class,
                        java.nio.file.OpenOption[].class)
                .check(classes);
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.edgenfsd.(*)..").should().beFreeOfCycles().check(classes);
    }
}
