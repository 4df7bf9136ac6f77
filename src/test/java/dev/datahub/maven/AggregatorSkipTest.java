package dev.datahub.maven;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mvn datahub:…} at the root of a multi-hub repository must not act on the parent pom. */
class AggregatorSkipTest {

  @TempDir Path dir;

  private BuildImageMojo mojo(String packaging, boolean withModules, CapturingMavenLog log) {
    MavenProject project = new MavenProject();
    project.setArtifactId("hubs");
    project.setPackaging(packaging);
    project.setFile(dir.resolve("pom.xml").toFile());
    project.getBuild().setDirectory(dir.resolve("target").toString());
    if (withModules) {
      project.getModules().add("stat20");
    }
    BuildImageMojo mojo = new BuildImageMojo();
    mojo.project = project;
    mojo.cacheDirectory = dir.resolve("cache").toString();
    mojo.setLog(log);
    return mojo; // no <image><from>: running it would fail
  }

  @Test
  void aPomWithModulesIsSkippedWithAReason() throws Exception {
    CapturingMavenLog log = new CapturingMavenLog();
    mojo("pom", true, log).execute();
    assertTrue(log.lines.contains("[INFO] Skipping build-image on hubs: a pom with modules is an aggregator, not a hub"
        + " (the hubs are its modules)"), String.join("\n", log.lines));
  }

  @Test
  void aHubIsNotSkipped() {
    CapturingMavenLog log = new CapturingMavenLog();
    MojoFailureException e = assertThrows(MojoFailureException.class, () -> mojo("pom", false, log).execute());
    assertTrue(e.getMessage().contains("<from>"), e.getMessage());
    assertThrows(MojoFailureException.class, () -> mojo("datahub", false, new CapturingMavenLog()).execute());
  }
}
