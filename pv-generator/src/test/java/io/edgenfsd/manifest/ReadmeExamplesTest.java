package io.edgenfsd.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The YAML the top-level README shows is what the commands print: each block marked
 * {@code <!-- output of: edge-nfsd manifest ARGS -->} must equal the output of those ARGS, and must fit the
 * Kubernetes API model.
 */
class ReadmeExamplesTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Pattern BLOCK = Pattern.compile(
            "<!-- output of: edge-nfsd manifest (.*?) -->\\n```yaml\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyMarkedYamlBlockOfTheReadmeIsExactlyWhatItsCommandPrintsAndFitsTheApiModel() throws Exception {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        Matcher m = BLOCK.matcher(readme);
        List<String> commands = new ArrayList<>();
        while (m.find()) {
            String args = m.group(1);
            commands.add(args);
            Cli r = Cli.run(args.split(" +"));
            assertThat(r.exit).as(args + ": " + r.err).isZero();
            assertThat(m.group(2)).as("README block for: edge-nfsd manifest " + args).isEqualTo(r.out);
            KubernetesSchema.validateYaml(r.out);
        }
        assertThat(commands).as("marked examples in README.md").hasSize(3)
                .anySatisfy(c -> assertThat(c).startsWith("migrate "))
                .filteredOn(c -> c.startsWith("--csi")).hasSize(2);
    }
}
