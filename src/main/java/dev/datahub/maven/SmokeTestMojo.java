package dev.datahub.maven;

import dev.datahub.DataHubException;
import dev.datahub.image.BuiltImage;
import dev.datahub.smoke.HubToken;
import dev.datahub.smoke.SmokeReports;
import dev.datahub.smoke.SmokeResult;
import dev.datahub.smoke.SmokeSpec;
import dev.datahub.smoke.SmokeTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * {@code datahub:smoke-test}: logs in to the hub as a test user, starts a server, runs the checks
 * in a kernel, verifies the server runs the expected image, cleans up, and writes the reports to
 * {@code target/datahub/smoke-test/}. Fails the build when the smoke test fails.
 */
@Mojo(name = "smoke-test", defaultPhase = LifecyclePhase.INTEGRATION_TEST, threadSafe = true)
public class SmokeTestMojo extends AbstractDataHubMojo {

  /** The smoke test's configuration; see docs/smoke-test.md. */
  @Parameter
  SmokeTestConfiguration smokeTest;

  /** Which environment is tested (recorded in the result), e.g. staging or prod. */
  @Parameter(property = "datahub.environment", defaultValue = "staging")
  String environment;

  /** Skips only this goal. */
  @Parameter(property = "datahub.smoke-test.skip", defaultValue = "false")
  boolean skipSmokeTest;

  @Override
  protected boolean skipGoal() {
    return skipSmokeTest;
  }

  @Override
  protected String goalName() {
    return "smoke-test";
  }

  @Override
  protected void run() {
    Path reportDir = outputDirectory().resolve("smoke-test");
    removeOldResult(reportDir); // a stale passed result must never reach the promote gate

    SmokeTestConfiguration config = smokeTest != null ? smokeTest : new SmokeTestConfiguration();
    Function<String, String> property = this::property;
    HubToken token = token(config, property);
    SmokeSpec spec = config.toSpec(property, project.getBasedir().toPath(), environment, builtImage());

    SmokeResult result = new SmokeTest(spec, token, redactor, log()).run();

    SmokeReports reports = new SmokeReports(redactor);
    reports.printSummary(result, log());
    String stepSummary = System.getenv("GITHUB_STEP_SUMMARY");
    reports.write(result, reportDir, stepSummary == null || stepSummary.isBlank() ? null : Path.of(stepSummary));
    log().info("Smoke-test reports: " + reportDir);
    if (!result.passed()) {
      throw new DataHubException("smoke test of " + spec.environment() + " failed: " + result.failure()
          + " (details: " + reportDir.resolve(SmokeReports.MARKDOWN_FILE) + ")");
    }
  }

  private HubToken token(SmokeTestConfiguration config, Function<String, String> property) {
    String serverId = config.tokenServerId(property);
    if (serverId != null) {
      SettingsCredentials.ServerCredentials server = credentials().find(serverId).orElseThrow(() ->
          new DataHubException("no <server> with id '" + serverId + "' in settings.xml — add one whose <password> is the hub API token"));
      if (server.password() == null || server.password().isBlank()) {
        throw new DataHubException("<server> '" + serverId + "' in settings.xml has no <password> — put the hub API token there");
      }
      return new HubToken(server.password(), "settings.xml <server> " + serverId);
    }
    String env = config.tokenEnv(property);
    String value = System.getenv(env);
    if (value == null || value.isBlank()) {
      throw new DataHubException("no hub API token: the environment variable " + env + " is not set — set it, or set "
          + "<tokenServerId> to a settings.xml <server> whose <password> is the token");
    }
    redactor.register(value.strip());
    return new HubToken(value.strip(), "environment variable " + env);
  }

  /** The image of the last build-image run, when there is one. */
  private String builtImage() {
    if (!Files.exists(outputDirectory().resolve(BuiltImage.FILE_NAME))) {
      return null;
    }
    return BuiltImage.readFrom(outputDirectory()).reference();
  }

  /** A {@code -D} value (Maven user or system property), or null. */
  private String property(String name) {
    if (session == null) {
      return System.getProperty(name);
    }
    String v = session.getUserProperties().getProperty(name);
    return v != null ? v : session.getSystemProperties().getProperty(name);
  }

  private static void removeOldResult(Path reportDir) {
    try {
      Files.deleteIfExists(reportDir.resolve(SmokeResult.FILE_NAME));
      Files.deleteIfExists(reportDir.resolve(SmokeReports.JUNIT_FILE));
      Files.deleteIfExists(reportDir.resolve(SmokeReports.MARKDOWN_FILE));
    } catch (IOException e) {
      throw new DataHubException("cannot remove the previous smoke-test result in " + reportDir + ": " + e.getMessage());
    }
  }
}
