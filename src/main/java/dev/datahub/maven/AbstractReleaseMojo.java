package dev.datahub.maven;

import dev.datahub.DataHubException;
import dev.datahub.image.BuiltImage;
import dev.datahub.image.DeployedTag;
import dev.datahub.image.SourceRevision;
import dev.datahub.image.Digest;
import dev.datahub.promotion.SmokeRunner;
import dev.datahub.release.ChartSource;
import dev.datahub.release.EnvironmentSpec;
import dev.datahub.release.HubRelease;
import dev.datahub.release.ImageRef;
import dev.datahub.release.KubeTarget;
import dev.datahub.release.ValuesComposer;
import dev.datahub.release.SmokeVerdict;
import dev.datahub.smoke.SmokeResult;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/** The configuration shared by deploy-staging, promote, rollback, status and plan. */
public abstract class AbstractReleaseMojo extends AbstractDataHubMojo {

  /** The Helm chart: {@code <directory>}, {@code <repository>/<name>/<version>} or {@code <oci>/<version>}. */
  @Parameter
  protected ChartConfig chart;

  /** Values files for every environment, first in order. */
  @Parameter
  protected List<File> values;

  /** {@code <staging>} and {@code <prod>}. */
  @Parameter
  protected Environments environments;

  /**
   * The image to deploy, {@code repository[:tag]@sha256:…}; default: target/datahub/image.json. (Not named
   * {@code image}: that is build-image's {@code <image>} block, which a plugin-level configuration shares.)
   */
  @Parameter(property = "datahub.image")
  protected String imageReference;

  /**
   * build-image's {@code <image>} block (shared in a plugin-level configuration): validate checks it; its
   * {@code <allowInsecureRegistries>} let deploy-staging and promote move the {@code datahub-<environment>} tag and
   * plan read it.
   */
  @Parameter
  protected ImageConfig image;

  /** Comma-separated registry hosts allowed over plain HTTP; added to {@code <image><allowInsecureRegistries>}. */
  @Parameter(property = "datahub.image.allowInsecureRegistries")
  protected String allowInsecureRegistries;

  /** Return a release stuck in pending-* to its last deployed revision before going on. */
  @Parameter(property = "datahub.recover", defaultValue = "false")
  protected boolean recover;

  /** The source commit to record; default: git rev-parse HEAD in the project directory. */
  @Parameter(property = "datahub.commit")
  protected String commit;

  /** How many deployment records to keep per environment. */
  @Parameter(property = "datahub.records.keep", defaultValue = "10")
  protected int keepRecords;

  /**
   * The smoke test (hub checks); run by smoke-test, by promote on prod, and by image-test in the built image.
   * See docs/smoke-test.md.
   */
  @Parameter
  protected SmokeTestConfiguration smokeTest;

  /** For the smoke-test goal: roll the environment back when its smoke test fails. */
  @Parameter(property = "datahub.smoke.rollbackOnFailure", defaultValue = "false")
  protected boolean rollbackOnSmokeFailure;

  /** The process environment (hub token, GITHUB_STEP_SUMMARY); tests replace it. */
  java.util.function.Function<String, String> environmentVariables = System::getenv;

  private final List<KubeTarget> opened = new ArrayList<>();

  @Override
  protected final void run() throws MojoExecutionException, MojoFailureException {
    registerSecretValues();
    try {
      runRelease();
    } finally {
      opened.forEach(KubeTarget::close);
    }
  }

  /**
   * Every goal here may meet the environments' secret values — in the live release's stored values (status, plan,
   * rollback), printed by a smoke check, in a Helm message — so all of them are known to the redactor before
   * anything is read or run.
   */
  private void registerSecretValues() {
    if (environments == null) {
      return;
    }
    for (EnvironmentConfig config : new EnvironmentConfig[] {environments.staging, environments.prod}) {
      if (config != null && config.secretValues != null) {
        ValuesComposer.registerSecrets(config.secretValues.stream().map(File::toPath).toList(), redactor);
      }
    }
  }

  protected abstract void runRelease() throws MojoExecutionException, MojoFailureException;

  protected ChartSource chartSource() {
    if (chart == null) {
      throw new DataHubException("no <chart> configured — add <chart><directory>…</directory></chart> to the plugin");
    }
    return chart.toSource();
  }

  protected List<Path> commonValues() {
    return values == null ? List.of() : values.stream().map(File::toPath).toList();
  }

  protected EnvironmentSpec environment(String name) {
    EnvironmentConfig config = environments == null ? null
        : "staging".equals(name) ? environments.staging : "prod".equals(name) ? environments.prod : null;
    if (config == null) {
      throw new DataHubException("no <environments><" + name + "> configured — add it (kubeContext, namespace, "
          + "release) to the plugin configuration");
    }
    String kubeVersion = property("datahub." + name + ".kubeVersion");
    if (kubeVersion != null && !kubeVersion.isBlank()) {
      config.kubeVersion = kubeVersion;
    }
    return config.toSpec(name);
  }

  protected HubRelease hubRelease(String environment) {
    KubeTarget target = KubeTarget.open(environment(environment));
    opened.add(target);
    return new HubRelease(target, redactor, log(), Clock.systemUTC(), outputDirectory().resolve("release"))
        .keepRecords(keepRecords);
  }

  protected ImageRef imageRef() {
    if (imageReference != null && !imageReference.isBlank()) {
      return ImageRef.parse(imageReference);
    }
    return ImageRef.of(BuiltImage.readFrom(outputDirectory()));
  }

  /** The registry side of the {@code datahub-<environment>} tag: credentials from settings.xml, insecure hosts. */
  protected DeployedTag deployedTag() {
    java.util.Set<String> insecure = new java.util.TreeSet<>();
    if (image != null) {
      insecure.addAll(image.allowInsecureRegistries);
    }
    if (allowInsecureRegistries != null) {
      java.util.Arrays.stream(allowInsecureRegistries.split(",")).map(String::trim).filter(h -> !h.isEmpty())
          .forEach(insecure::add);
    }
    return new DeployedTag(insecure, registryCredentials());
  }

  /** True when {@code <environments>} configures this environment. */
  protected boolean hasEnvironment(String name) {
    return environments != null
        && ("staging".equals(name) ? environments.staging != null : "prod".equals(name) && environments.prod != null);
  }

  protected SmokeTestLauncher smokeTestLauncher() {
    return new SmokeTestLauncher(smokeTest, this::property, environmentVariables, credentials(), redactor, log(),
        project.getBasedir().toPath(), outputDirectory());
  }

  /**
   * The smoke test run by promote on prod, at prod's hub URL and for the promoted image whatever the smoke-level
   * overrides say; null when no {@code <smokeTest>} is configured.
   */
  protected SmokeRunner smokeRunner() {
    if (smokeTest == null) {
      return null;
    }
    return (environment, hubUrl, imageReference) -> {
      SmokeResult result = smokeTestLauncher().runPinned(environment, hubUrl, imageReference);
      return new SmokeVerdict(result.passed(), Digest.in(result.observedImage()), hubUrl,
          result.passed() ? "passed" : result.failure());
    };
  }

  /** A {@code -D} value (Maven user or system property), or null. */
  protected String property(String name) {
    if (session == null) {
      return System.getProperty(name);
    }
    String v = session.getUserProperties().getProperty(name);
    return v != null ? v : session.getSystemProperties().getProperty(name);
  }

  protected String sourceCommit() {
    if (commit != null && !commit.isBlank()) {
      return commit;
    }
    return SourceRevision.of(project.getBasedir().toPath()).orElse("unknown");
  }

  protected void deleteResult(String fileName) {
    try {
      Files.deleteIfExists(outputDirectory().resolve("release").resolve(fileName));
    } catch (IOException e) {
      throw new DataHubException("cannot delete " + fileName + " under " + outputDirectory() + ": " + e.getMessage()
          + " — check the build directory");
    }
  }

  /** Writes a machine-readable result next to the build for CI (never holds secret values). */
  protected void writeResult(String fileName, Object value) {
    try {
      Path dir = outputDirectory().resolve("release");
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(fileName), new com.fasterxml.jackson.databind.ObjectMapper()
          .writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n");
    } catch (IOException e) {
      throw new DataHubException("cannot write " + fileName + " under " + outputDirectory() + ": " + e.getMessage());
    }
  }
}
