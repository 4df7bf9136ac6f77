package dev.datahub.maven;

import dev.datahub.DataHubException;
import dev.datahub.image.BuiltImage;
import dev.datahub.smoke.ContainerEngine;
import dev.datahub.smoke.ImageSmokeRun;
import dev.datahub.smoke.SmokeReports;
import dev.datahub.smoke.SmokeResult;
import dev.datahub.smoke.SmokeSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * {@code datahub:image-test}: runs the {@code <smokeTest>} checks (imports, snippets, notebooks)
 * against the image this build made, on the machine's container engine — no hub, no cluster: the
 * image's own Jupyter server on a loopback port, a kernel, the checks, the same reports as
 * {@code smoke-test} in {@code target/datahub/image-test/}. The container is removed whatever
 * happens. With no engine it says so in one line and passes, unless {@code -Ddatahub.image-test.required=true}.
 */
@Mojo(name = "image-test", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class ImageTestMojo extends AbstractReleaseMojo {

  /** {@code docker}, {@code podman} or a path to either; empty: the first of docker and podman on PATH that answers. */
  @Parameter(property = "datahub.image-test.engine")
  String engine;

  /** Fail the build when no container engine answers, instead of saying so and passing. */
  @Parameter(property = "datahub.image-test.required", defaultValue = "false")
  boolean required;

  /** Skips only this goal. */
  @Parameter(property = "datahub.image-test.skip", defaultValue = "false")
  boolean skipImageTest;

  @Override
  protected String goalName() {
    return "image-test";
  }

  @Override
  protected boolean skipGoal() {
    return skipImageTest;
  }

  @Override
  protected void runRelease() {
    BuiltImage built = BuiltImage.readFrom(outputDirectory());
    List<String> why = new ArrayList<>();
    Optional<ContainerEngine> found = ContainerEngine.find(engine, environmentVariables, why);
    if (found.isEmpty()) {
      String message = "No container engine to run the image test" + (why.isEmpty() ? "" : " (" + String.join("; ", why) + ")")
          + " — " + ContainerEngine.INSTALL + ", or set -Ddatahub.image-test.engine";
      if (required) {
        throw new DataHubException(message + " (-Ddatahub.image-test.required=true)");
      }
      log().warn(message + "; the image was not run");
      return;
    }
    Path reportDir = outputDirectory().resolve("image-test");
    SmokeReports.removeFrom(reportDir);
    SmokeTestConfiguration config = smokeTest != null ? smokeTest : new SmokeTestConfiguration();
    SmokeSpec spec = config.toSpec(this::property, project.getBasedir().toPath(), ImageSmokeRun.ENVIRONMENT,
        "http://127.0.0.1/", built.reference());
    SmokeResult result = new ImageSmokeRun(spec, found.get(), ImageSmokeRun.Image.of(built), redactor, log()).run();
    new SmokeReports(redactor).publish(result, log(), reportDir, environmentVariables.apply("GITHUB_STEP_SUMMARY"));
    if (!result.passed()) {
      throw new DataHubException("image test of " + built.reference() + " failed: " + result.failure()
          + " (details: " + reportDir.resolve(SmokeReports.MARKDOWN_FILE) + ")");
    }
  }

  /** The image test runs the image in a container engine: no cluster, no Helm. */
  @Override
  protected boolean usesHelmOrKubernetes() {
    return false;
  }
}
