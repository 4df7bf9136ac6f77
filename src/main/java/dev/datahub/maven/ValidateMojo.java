package dev.datahub.maven;

import dev.datahub.DataHubException;
import dev.datahub.image.ImageSpec;
import dev.datahub.image.SingleUserImage;
import dev.datahub.python.LockFile;
import dev.datahub.python.PythonSpec;
import dev.datahub.release.ComposedValues;
import dev.datahub.release.ReleasePlanner;
import dev.datahub.release.ValuesComposer;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
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

  @Parameter(defaultValue = "${plugin}", readonly = true)
  PluginDescriptor plugin;

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
    List<String> problems = new ArrayList<>();
    if (image != null) {
      check(problems, "image", () -> {
        ImageSpec spec = image.toSpec(new ImageConfig.Overrides(property("datahub.image.from"),
            property("datahub.image.to"), property("datahub.image.tags"), property("datahub.image.format"),
            property("datahub.image.allowInsecureRegistries"), true, false), project, outputDirectory(),
            outputDirectory().resolve("unused-cache"), plugin == null ? "dev" : plugin.getVersion());
        new SingleUserImage(host -> java.util.Optional.empty(), log()).validate(spec);
        if (spec.from() == null || spec.from().isBlank()) {
          throw new DataHubException("<image><from> is not set — set the base image, e.g. quay.io/jupyter/base-notebook@sha256:…");
        }
        return "image: " + spec.content().size() + " content mapping(s), base " + spec.from();
      });
      if (image.python != null && image.python.isEnabled()) {
        check(problems, "python", () -> {
          PythonSpec python = image.python.toSpec(project.getBasedir().toPath(), outputDirectory().resolve("python"));
          int pins = LockFile.read(python.requirements()).requirements().size();
          return "python: " + pins + " exact, hashed pins in " + project.getBasedir().toPath().relativize(
              python.requirements().toAbsolutePath()) + " (dependency completeness is checked by build-image, with the wheels)";
        });
      }
    }
    if (chart != null) {
      ReleasePlanner planner = new ReleasePlanner(redactor);
      check(problems, "chart", () -> {
        List<String> messages = planner.lint(chartSource());
        messages.forEach(m -> log().debug("helm lint: " + m));
        return "chart: helm lint passed (" + messages.size() + " message(s))";
      });
      for (String name : List.of("staging", "prod")) {
        if (!hasEnvironment(name)) {
          continue;
        }
        check(problems, name, () -> {
          var env = environment(name);
          ComposedValues values = new ValuesComposer(redactor).compose(commonValues(), env, null,
              outputDirectory().resolve("release"));
          var plan = planner.plan(env, chartSource(), values, null, null);
          return name + ": chart renders offline for Kubernetes " + plan.kubeVersion() + " ("
              + plan.renderedResources().size() + " resources); " + (plan.schema() == null
              ? "NO values schema was read (the chart has neither values.schema.json nor values.schema.yaml), so the"
                  + " values were not checked against one"
              : "values match the chart's schema (" + plan.schema() + ")");
        });
      }
    }
    if (smokeTest != null) {
      check(problems, "smoke-test", () -> {
        for (String name : List.of("staging", "prod")) {
          String hubUrl = hasEnvironment(name) ? environment(name).hubUrl() : null;
          smokeTest.toSpec(this::property, project.getBasedir().toPath(), name, hubUrl, null);
        }
        return "smoke-test: configuration and notebooks are valid";
      });
    }
    if (!problems.isEmpty()) {
      throw new MojoFailureException("datahub:validate found " + problems.size() + " problem(s):\n  - "
          + String.join("\n  - ", problems));
    }
  }

  private interface Check {
    String run();
  }

  private void check(List<String> problems, String what, Check check) {
    try {
      log().info("valid " + check.run());
    } catch (DataHubException e) {
      problems.add(redactor.redact(e.getMessage()));
      log().warn("invalid " + what + ": " + redactor.redact(e.getMessage()));
    }
  }
}
