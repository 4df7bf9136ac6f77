package dev.datahub.maven;

import dev.datahub.DataHubException;
import dev.datahub.image.BuiltImage;
import dev.datahub.image.DeployedTag;
import dev.datahub.image.SourceRevision;
import dev.datahub.output.ResultFiles;
import dev.datahub.promotion.EnvironmentSmoke;
import dev.datahub.promotion.SmokeRunner;
import dev.datahub.release.ChartSource;
import dev.datahub.release.EnvironmentSpec;
import dev.datahub.release.HubRelease;
import dev.datahub.release.HubReleases;
import dev.datahub.release.ImageRef;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.eclipse.aether.RepositorySystem;

/**
 * The configuration shared by deploy-staging, promote, rollback, status, plan, smoke-test, image-test and validate,
 * and their shared steps: secret values known to the redactor first, each environment's release opened on first use
 * and closed at the end, results written under {@code target/datahub/release/}.
 */
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

  private HubReleases releases;

  @Component
  private RepositorySystem repositorySystem;

  @Override
  protected final void run() throws MojoExecutionException, MojoFailureException {
    boolean releaseLibraries = usesHelmOrKubernetes() || (environments != null && environments.hasSecretValues());
    if (releaseLibraries) {
      addReleaseLibraries();
    }
    try {
      if (environments != null) {
        environments.registerSecrets(redactor);
      }
      try (HubReleases opened = new HubReleases(this::environment, redactor, log(), releaseDirectory(), keepRecords)) {
        releases = opened;
        runRelease();
      } finally {
        releases = null;
      }
    } catch (NoClassDefFoundError e) {
      if (!ReleaseLibraries.isTheirs(e)) {
        throw e;
      }
      throw new MojoExecutionException(redactor.redact(goalName() + " needs " + e.getMessage() + " of helm-java or"
          + " the Kubernetes client, which " + (releaseLibraries ? "the plugin's recorded dependency tree lacks"
          : "this goal did not add to the plugin realm") + " (a bug of datahub-maven-plugin) — add"
          + " io.fabric8:kubernetes-client and com.marcnuri.helm-java:helm-java to the plugin's <dependencies> in the"
          + " pom until it is fixed"), e);
    }
  }

  /**
   * Whether this goal (with this configuration) loads helm-java or the Kubernetes client, or the YAML reader that
   * comes with them; the plugin realm lacks them until {@link ReleaseLibraries} adds them.
   */
  protected boolean usesHelmOrKubernetes() {
    return true;
  }

  private void addReleaseLibraries() {
    if (plugin == null || plugin.getClassRealm() == null) {
      return; // outside Maven (tests): the class path has them
    }
    ReleaseLibraries.addTo(plugin.getClassRealm(), plugin.getArtifacts(), repositorySystem,
        session.getRepositorySession(), project.getRemotePluginRepositories(), ReleaseLibraries::recordedTree,
        getLog());
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
    return (environments == null ? new Environments() : environments).spec(name, this::property);
  }

  protected HubRelease hubRelease(String environment) {
    return releases.get(environment);
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
    return new DeployedTag(insecure, credentials().registries());
  }

  /** True when {@code <environments>} configures this environment. */
  protected boolean hasEnvironment(String name) {
    return environments != null && environments.named(name) != null;
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
    return (environment, hubUrl, imageReference) ->
        EnvironmentSmoke.verdict(smokeTestLauncher().runPinned(environment, hubUrl, imageReference), hubUrl);
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

  /** This build's deploy outcome per environment (deploy-staging puts it, smoke-test completes it). */
  protected DeployOutcomes deployOutcomes() {
    return new DeployOutcomes(project, releaseDirectory());
  }

  /** {@code target/datahub/release}: the release goals' results, for the next goal and for CI. */
  protected Path releaseDirectory() {
    return outputDirectory().resolve("release");
  }

  /** Writes a machine-readable result next to the build for CI (never holds secret values). */
  protected void writeResult(String fileName, Object value) {
    ResultFiles.writeJson(releaseDirectory().resolve(fileName), value);
  }
}
