package dev.datahub.maven;

import dev.datahub.release.EnvironmentName;
import dev.datahub.release.EnvironmentSpec;
import dev.datahub.smoke.SmokeSpec;
import dev.datahub.validation.OfflineValidation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Checks the whole configuration offline, before anything is built or deployed: the image
 * ({@code <image>}: references, content mappings), the Python lock file (syntax, exact pins,
 * hashes), the chart ({@code helm lint}) and, per environment, the composed values against the
 * chart's values schema (a render with the real Helm engine), and the smoke-test configuration.
 * Reports every problem found, one line each.
 */
@Mojo(name = "validate", defaultPhase = LifecyclePhase.VALIDATE, threadSafe = true)
public class ValidateMojo extends AbstractReleaseMojo {

  @Parameter(property = "datahub.validate.skip", defaultValue = "false")
  boolean skipValidate;

  @Override
  protected String goalName() {
    return "validate";
  }

  @Override
  protected boolean skipGoal() {
    return skipValidate;
  }

  @Override
  protected void runRelease() throws MojoFailureException {
    Path basedir = project.getBasedir().toPath();
    Map<String, Supplier<EnvironmentSpec>> envs = new LinkedHashMap<>();
    for (EnvironmentName env : EnvironmentName.values()) {
      if (hasEnvironment(env.id())) {
        envs.put(env.id(), () -> environment(env.id()));
      }
    }
    List<String> problems = new OfflineValidation(redactor, log()).run(new OfflineValidation.Request(
        image == null ? null : () -> image.toSpec(ImageConfig.Overrides.fromProperties(this::property), project,
            outputDirectory(), outputDirectory().resolve("unused-cache"), toolVersion()),
        image == null || !image.hasPython() ? null : () -> image.pythonSpec(basedir, outputDirectory()),
        basedir, chart == null ? null : this::chartSource, commonValues(), envs, releaseDirectory(),
        smokeTest == null ? null : this::smokeSpecs));
    if (!problems.isEmpty()) {
      throw new MojoFailureException("datahub:validate found " + problems.size() + " problem(s):\n  - "
          + String.join("\n  - ", problems));
    }
  }

  /** The smoke test as each environment would run it (its hub URL filled in). */
  private List<SmokeSpec> smokeSpecs() {
    List<SmokeSpec> specs = new ArrayList<>();
    for (EnvironmentName env : EnvironmentName.values()) {
      String hubUrl = hasEnvironment(env.id()) ? environment(env.id()).hubUrl() : null;
      specs.add(smokeTest.toSpec(this::property, project.getBasedir().toPath(), env.id(), hubUrl, null));
    }
    return specs;
  }
}
