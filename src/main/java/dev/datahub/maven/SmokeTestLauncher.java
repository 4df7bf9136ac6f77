package dev.datahub.maven;

import dev.datahub.DataHubException;
import dev.datahub.log.Redactor;
import dev.datahub.log.StepLog;
import dev.datahub.smoke.HubSmokeRun;
import dev.datahub.smoke.HubToken;
import dev.datahub.smoke.SmokeReports;
import dev.datahub.smoke.SmokeResult;
import dev.datahub.smoke.SmokeSpec;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The Maven side of a smoke test, shared by the smoke-test goal and promote's prod check: the
 * token from settings.xml or the environment, the {@code -Ddatahub.smoke.*} overrides, the run,
 * and the reports in {@code target/datahub/smoke-test/}.
 */
final class SmokeTestLauncher {

  private final SmokeTestConfiguration config;
  private final Function<String, String> property;
  private final SettingsCredentials credentials;
  private final Redactor redactor;
  private final StepLog log;
  private final Path baseDir;
  private final Path reportDir;
  private final Function<String, String> environmentVariables;

  SmokeTestLauncher(SmokeTestConfiguration config, Function<String, String> property,
      Function<String, String> environmentVariables, SettingsCredentials credentials, Redactor redactor, StepLog log,
      Path baseDir, Path outputDirectory) {
    this.config = config != null ? config : new SmokeTestConfiguration();
    this.property = property;
    this.environmentVariables = environmentVariables;
    this.credentials = credentials;
    this.redactor = redactor;
    this.log = log;
    this.baseDir = baseDir;
    this.reportDir = outputDirectory.resolve("smoke-test");
  }

  Path reportDir() {
    return reportDir;
  }

  /**
   * Runs the smoke test and writes its reports; never throws for a failed check (the result says).
   *
   * @param hubUrl used when neither {@code <smokeTest><hubUrl>} nor {@code -Ddatahub.smoke.hubUrl} is set
   * @param image the image the hub must run when {@code expectedImage} is not configured; may be null
   */
  SmokeResult run(String environment, String hubUrl, String image) {
    return run(environment, hubUrl, image, false);
  }

  /**
   * promote's test of prod: exactly {@code hubUrl} and {@code image}, whatever {@code <smokeTest><hubUrl>},
   * {@code <expectedImage>} or their {@code -Ddatahub.smoke.*} overrides say (those name the hub the smoke-test goal
   * tests, usually staging's).
   */
  SmokeResult runPinned(String environment, String hubUrl, String image) {
    return run(environment, hubUrl, image, true);
  }

  private SmokeResult run(String environment, String hubUrl, String image, boolean pinned) {
    SmokeReports.removeFrom(reportDir);
    HubToken token = token();
    SmokeSpec spec = config.toSpec(property, baseDir, environment, hubUrl, image);
    if (pinned) {
      if (!spec.hubUrl().equals(SmokeSpec.hubUrl(hubUrl))) {
        log.info("Smoke test of " + environment + " runs at " + hubUrl + ", not at the smoke-test hubUrl "
            + spec.hubUrl() + " (that one is for datahub:smoke-test)");
      }
      spec = spec.withHubUrl(SmokeSpec.hubUrl(hubUrl)).withExpectedImage(image, true);
    }
    SmokeResult result = new HubSmokeRun(spec, token, redactor, log).whileSpawning(SmokeReports::warmUp).run();
    new SmokeReports(redactor).publish(result, log, reportDir, environmentVariables.apply("GITHUB_STEP_SUMMARY"));
    log.info("Smoke-test reports: " + reportDir);
    return result;
  }

  private HubToken token() {
    String serverId = config.tokenServerId(property);
    if (serverId != null) {
      SettingsCredentials.ServerCredentials server = credentials.find(serverId).orElseThrow(() ->
          new DataHubException("no <server> with id '" + serverId + "' in settings.xml — add one whose <password> is the hub API token"));
      if (server.password() == null || server.password().isBlank()) {
        throw new DataHubException("<server> '" + serverId + "' in settings.xml has no <password> — put the hub API token there");
      }
      return new HubToken(server.password(), "settings.xml <server> " + serverId);
    }
    String env = config.tokenEnv(property);
    String value = environmentVariables.apply(env);
    if (value == null || value.isBlank()) {
      throw new DataHubException("no hub API token: the environment variable " + env + " is not set — set it, or set "
          + "<tokenServerId> to a settings.xml <server> whose <password> is the token");
    }
    redactor.register(value.strip());
    return new HubToken(value.strip(), "environment variable " + env);
  }
}
