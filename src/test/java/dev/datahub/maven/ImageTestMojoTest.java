package dev.datahub.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.fixtures.Podman;
import dev.datahub.fixtures.RealImage;
import dev.datahub.fixtures.RealImageTier;
import dev.datahub.image.BuiltImage;
import dev.datahub.smoke.SmokeResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code datahub:image-test} as the datahub packaging runs it in {@code verify}: image.json of a
 * tarball build FROM the Debian base, the engine found on PATH (podman, with the fixture's
 * configuration in the environment as a CI job would export it), the reports in
 * {@code target/datahub/image-test/}; and without an engine.
 */
class ImageTestMojoTest {

  static RealImageTier tier;
  static Podman podman;
  static Path project;
  static BuiltImage built;

  final CapturingMavenLog log = new CapturingMavenLog();

  @BeforeAll
  static void build(@TempDir Path dir) throws Exception {
    tier = RealImageTier.start();
    podman = tier.podman;
    project = dir;
    built = tier.images.build(project, "hub/user", RealImage.pipLock(project), RealImage.debianPipWheel().getParent(), false);
  }

  @AfterAll
  static void stop() throws Exception {
    tier.close();
  }

  private ImageTestMojo mojo(String path, String... imports) {
    ImageTestMojo mojo = new ImageTestMojo();
    MavenProject p = new MavenProject();
    p.setFile(project.resolve("pom.xml").toFile());
    p.getBuild().setDirectory(project.resolve("target").toString());
    mojo.project = p;
    mojo.smokeTest = new SmokeTestConfiguration();
    mojo.smokeTest.imports = List.of(imports);
    mojo.environmentVariables = name -> "PATH".equals(name) ? path : podman.environment().get(name);
    mojo.setLog(log);
    return mojo;
  }

  /** A docker CLI whose daemon does not run: {@code docker info} fails, as on a machine with only the client. */
  static Path dockerWithoutDaemon(Path dir) throws Exception {
    Path docker = dir.resolve("docker");
    Files.writeString(docker, "#!/bin/sh\necho 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock.' >&2\nexit 1\n");
    docker.toFile().setExecutable(true);
    return docker;
  }

  @Test
  void runsTheChecksInTheBuiltTarballAndWritesTheReports(@TempDir Path bin) throws Exception {
    dockerWithoutDaemon(bin);
    mojo(bin + ":/usr/bin:/bin", "pip", "json").execute(); // docker comes first on PATH but does not answer: podman runs it

    SmokeResult result = SmokeResult.readFrom(project.resolve("target/datahub/image-test"));
    assertTrue(result.passed(), result.failure());
    assertEquals(built.reference(), result.observedImage());
    assertTrue(Files.exists(project.resolve("target/datahub/image-test/TEST-datahub-smoke-test.xml")));
    assertTrue(log.lines.stream().anyMatch(l -> l.contains("PASS import pip")), String.join("\n", log.lines));
    assertEquals(List.of(), podman.containers());

    MojoFailureException failed = assertThrows(MojoFailureException.class,
        () -> mojo("/usr/bin:/bin", "pip", "no_such_module_datahub").execute());
    assertTrue(failed.getMessage().startsWith("image test of " + built.reference() + " failed: check 'import "
        + "no_such_module_datahub' failed: ModuleNotFoundError: No module named 'no_such_module_datahub'"), failed.getMessage());
    assertFalse(SmokeResult.readFrom(project.resolve("target/datahub/image-test")).passed());
    assertEquals(List.of(), podman.containers());
  }

  @Test
  void noEngineIsOneWarningLineOrAFailureWhenRequired(@TempDir Path emptyPath) throws Exception {
    ImageTestMojo mojo = mojo(emptyPath.toString(), "pip");
    mojo.execute();
    assertTrue(log.lines.stream().anyMatch(l -> l.contains("No container engine to run the image test — install Docker")
        && l.contains("apt-get install -y podman")), String.join("\n", log.lines));

    ImageTestMojo required = mojo(emptyPath.toString(), "pip");
    required.required = true;
    MojoFailureException failed = assertThrows(MojoFailureException.class, required::execute);
    assertTrue(failed.getMessage().contains("(-Ddatahub.image-test.required=true)"), failed.getMessage());
    assertFalse(failed.getMessage().contains("\n"), "one line");

    Path docker = dockerWithoutDaemon(emptyPath);
    ImageTestMojo configured = mojo("/usr/bin", "pip");
    configured.engine = docker.toString();
    configured.required = true;
    MojoFailureException noDaemon = assertThrows(MojoFailureException.class, configured::execute);
    assertTrue(noDaemon.getMessage().contains(docker + " does not answer (Cannot connect to the Docker daemon"),
        noDaemon.getMessage());
  }
}
