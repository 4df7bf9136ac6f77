package dev.datahub.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * validate and plan, as goals, on a chart of our own with z2jh's traits (src/test/resources/charts/jupyterhub-like),
 * with no cluster and a kubeconfig naming none: the full manifest is rendered and written, every error is one line of
 * validate's report, and the log has no line from Helm trying a default cluster.
 */
class Z2jhLikeGoalsTest {

  private static final String TOKEN = "g0als-pr0xy-t0ken-5512";
  private static final String IMAGE = "registry.example.org/datahub/user:h1@sha256:" + "e".repeat(64);

  @TempDir Path tmp;
  final CapturingMavenLog log = new CapturingMavenLog();

  private <T extends AbstractReleaseMojo> T configure(T mojo, Path chart, String kubeVersion, String values)
      throws Exception {
    MavenProject project = new MavenProject();
    project.setFile(tmp.resolve("pom.xml").toFile());
    project.getBuild().setDirectory(tmp.resolve("target").toString());
    mojo.project = project;
    mojo.chart = new ChartConfig();
    mojo.chart.directory = chart.toFile();
    mojo.values = List.of(Files.writeString(tmp.resolve("common.yaml"), values).toFile());
    mojo.environments = new Environments();
    for (String name : List.of("staging", "prod")) {
      EnvironmentConfig c = new EnvironmentConfig();
      c.kubeContext = name + "-ctx";
      c.kubeconfig = tmp.resolve("no-kubeconfig-here").toFile();
      c.namespace = name;
      c.release = "hub";
      c.secretValues = List.of(Files.writeString(tmp.resolve(name + "-secret.yaml"),
          "proxy:\n  secretToken: \"" + TOKEN + "\"\n").toFile());
      c.kubeVersion = kubeVersion;
      if ("staging".equals(name)) {
        mojo.environments.staging = c;
      } else {
        mojo.environments.prod = c;
      }
    }
    mojo.imageReference = IMAGE;
    mojo.setLog(log);
    return mojo;
  }

  private List<String> lines() {
    return log.lines;
  }

  @Test
  void validateAndPlanRenderTheLookupChartOfflineAndWriteTheManifest() throws Exception {
    Path chart = Path.of("src/test/resources/charts/jupyterhub-like");
    configure(new ValidateMojo(), chart, null, "singleuser:\n  defaultUrl: /tree\n").execute();
    String text = String.join("\n", lines());
    assertTrue(text.contains("valid staging: chart renders offline for Kubernetes 1.33.0 (the default; set "
        + "<environments><staging><kubeVersion> (or -Ddatahub.staging.kubeVersion)) (4 resources); values match the"
        + " chart's schema (values.schema.yaml (converted to JSON for Helm))"), text);

    PlanMojo plan = configure(new PlanMojo(), chart, null, "singleuser:\n  defaultUrl: /tree\n");
    java.lang.reflect.Field environment = PlanMojo.class.getDeclaredField("environment");
    environment.setAccessible(true);
    environment.set(plan, "staging"); // the parameter's default, as Maven sets it
    plan.execute();
    Path manifest = tmp.resolve("target/datahub/release/staging-manifest.yaml");
    String yaml = Files.readString(manifest);
    assertTrue(yaml.contains("# Source: jupyterhub/templates/image-puller/daemonset.yaml"), yaml);
    assertTrue(yaml.contains(IMAGE), yaml);
    assertFalse(yaml.contains(TOKEN), yaml);
    text = String.join("\n", lines());
    assertTrue(text.contains(IMAGE + " — DaemonSet/hook-image-puller"), text);
    assertTrue(text.contains("manifest (secrets masked): target/datahub/release/staging-manifest.yaml"), text);
    assertFalse(Files.readString(tmp.resolve("target/datahub/release/staging-plan.json")).contains("\"manifest\""));
    assertFalse(text.contains(TOKEN));
    assertFalse(text.contains("localhost:8080") || text.contains("unable to retrieve resource list"), text);
  }

  @Test
  void validateReportsTheChartsFailASchemaViolationAndTheKubeVersionOneLineEach() throws Exception {
    Path chart = Path.of("src/test/resources/charts/jupyterhub-like");
    MojoFailureException fail = assertThrows(MojoFailureException.class, () -> configure(new ValidateMojo(), chart,
        null, "hub:\n  extraEnv: [A, B]\n").execute());
    List<String> problems = fail.getMessage().lines().skip(1).toList();
    assertEquals(2, problems.size(), fail.getMessage());
    assertTrue(problems.get(0).contains("does not render with staging's values: execution error at "
        + "(jupyterhub/templates/hub-") && problems.get(0).contains("hub.extraEnv must be a map"), problems.get(0));

    MojoFailureException schema = assertThrows(MojoFailureException.class, () -> configure(new ValidateMojo(), chart,
        null, "singleuser:\n  memory: 2G\n").execute());
    assertTrue(schema.getMessage().contains("schema") && schema.getMessage().contains("memory"), schema.getMessage());

    MojoFailureException version = assertThrows(MojoFailureException.class, () -> configure(new ValidateMojo(), chart,
        "1.26.3", "{}\n").execute());
    assertTrue(version.getMessage().contains("requires Kubernetes >=1.28.0-0 (its Chart.yaml kubeVersion), which "
        + "excludes the version it was rendered for, 1.26.3 (<environments><staging><kubeVersion>"), version.getMessage());
    String all = String.join("\n", lines());
    assertFalse(all.contains(TOKEN));
    assertFalse(all.contains("localhost:8080"), all);
  }

  @Test
  void validateSaysPlainlyWhenTheChartHasNoSchema() throws Exception {
    Path copy = tmp.resolve("noschema");
    try (var files = Files.walk(Path.of("src/test/resources/charts/jupyterhub-like"))) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path out = copy.resolve(Path.of("src/test/resources/charts/jupyterhub-like").relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(out);
        } else if (!p.getFileName().toString().startsWith("values.schema")) {
          Files.copy(p, out);
        }
      }
    }
    configure(new ValidateMojo(), copy, null, "anything: goes\n").execute();
    String text = String.join("\n", lines());
    assertTrue(text.contains("NO values schema was read (the chart has neither values.schema.json nor "
        + "values.schema.yaml), so the values were not checked against one"), text);
    assertFalse(text.contains("values match"), text);
    assertTrue(new File(copy.toFile(), "Chart.yaml").isFile());
  }
}
