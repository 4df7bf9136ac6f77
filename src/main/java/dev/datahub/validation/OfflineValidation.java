package dev.datahub.validation;

import dev.datahub.DataHubException;
import dev.datahub.image.ImageSpec;
import dev.datahub.image.SingleUserImage;
import dev.datahub.log.Redactor;
import dev.datahub.log.StepLog;
import dev.datahub.python.LockFile;
import dev.datahub.python.PythonSpec;
import dev.datahub.release.ChartSource;
import dev.datahub.release.ComposedValues;
import dev.datahub.release.EnvironmentSpec;
import dev.datahub.release.ReleasePlan;
import dev.datahub.release.ReleasePlanner;
import dev.datahub.release.ValuesComposer;
import dev.datahub.smoke.SmokeSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The whole configuration checked offline, before anything is built or deployed: the image (references, content
 * mappings), the Python lock file (syntax, exact pins, hashes), the chart ({@code helm lint}) and, per environment, the
 * composed values against the chart's values schema (a render with the real Helm engine), and the smoke-test
 * configuration. Every check runs, whatever the others found; each problem is one line. The configuration comes as
 * suppliers, because reading it is the first thing that can be wrong.
 */
public final class OfflineValidation {

  /** What is validated; a null part is not configured and not checked. */
  public record Request(
      Supplier<ImageSpec> image,
      Supplier<PythonSpec> python,
      Path projectDirectory,
      Supplier<ChartSource> chart,
      List<Path> commonValues,
      Map<String, Supplier<EnvironmentSpec>> environments,
      Path releaseDirectory,
      Supplier<List<SmokeSpec>> smoke) {}

  private final Redactor redactor;
  private final StepLog log;

  public OfflineValidation(Redactor redactor, StepLog log) {
    this.redactor = redactor;
    this.log = log;
  }

  /** Runs every configured check, logs each outcome, and returns the problems found (empty: all valid). */
  public List<String> run(Request request) {
    List<String> problems = new ArrayList<>();
    if (request.image() != null) {
      check(problems, "image", () -> image(request.image().get()));
    }
    if (request.python() != null) {
      check(problems, "python", () -> python(request.python().get(), request.projectDirectory()));
    }
    if (request.chart() != null) {
      ReleasePlanner planner = new ReleasePlanner(redactor, log.wording());
      check(problems, "chart", () -> {
        List<String> messages = planner.lint(request.chart().get());
        messages.forEach(m -> log.debug("helm lint: " + m));
        return "chart: helm lint passed (" + messages.size() + " message(s))";
      });
      request.environments().forEach((name, environment) -> check(problems, name, () ->
          environment(planner, name, environment.get(), request)));
    }
    if (request.smoke() != null) {
      check(problems, "smoke-test", () -> {
        request.smoke().get();
        return "smoke-test: configuration and notebooks are valid";
      });
    }
    return problems;
  }

  private String image(ImageSpec spec) {
    new SingleUserImage(host -> Optional.empty(), log).validate(spec);
    if (spec.from() == null || spec.from().isBlank()) {
      throw new DataHubException("<image><from> is not set — set the base image, e.g. quay.io/jupyter/base-notebook@sha256:…");
    }
    return "image: " + spec.content().size() + " content mapping(s), base " + spec.from();
  }

  private static String python(PythonSpec python, Path projectDirectory) {
    int pins = LockFile.read(python.requirements()).requirements().size();
    return "python: " + pins + " exact, hashed pins in " + projectDirectory.relativize(
        python.requirements().toAbsolutePath()) + " (dependency completeness is checked by build-image, with the wheels)";
  }

  private String environment(ReleasePlanner planner, String name, EnvironmentSpec env, Request request) {
    ComposedValues values = new ValuesComposer(redactor).compose(request.commonValues(), env, null,
        request.releaseDirectory());
    ReleasePlan plan = planner.plan(env, request.chart().get(), values, null, null);
    return name + ": chart renders offline for Kubernetes " + plan.kubeVersion() + " ("
        + plan.renderedResources().size() + " resources); " + (plan.schema() == null
        ? "NO values schema was read (the chart has neither values.schema.json nor values.schema.yaml), so the"
            + " values were not checked against one"
        : "values match the chart's schema (" + plan.schema() + ")");
  }

  private void check(List<String> problems, String what, Supplier<String> check) {
    try {
      log.info("valid " + check.get());
    } catch (DataHubException e) {
      problems.add(redactor.redact(e.message(log.wording())));
      log.warn("invalid " + what + ": " + redactor.redact(e.message(log.wording())));
    }
  }
}
