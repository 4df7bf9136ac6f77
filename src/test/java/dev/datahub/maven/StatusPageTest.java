package dev.datahub.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.DataHubException;
import dev.datahub.fixtures.Chromium;
import dev.datahub.fixtures.MockCluster;
import dev.datahub.fixtures.ReleaseFixture;
import dev.datahub.image.Digest;
import dev.datahub.log.Redactor;
import dev.datahub.promotion.Promotion;
import dev.datahub.promotion.SmokeRunner;
import dev.datahub.release.ChartSource;
import dev.datahub.release.DeploymentRecord;
import dev.datahub.release.DeploymentRecords;
import dev.datahub.release.EnvironmentSpec;
import dev.datahub.release.HubRelease;
import dev.datahub.release.SmokeVerdict;
import dev.datahub.release.StuckRelease;
import dev.datahub.smoke.CheckResult;
import dev.datahub.smoke.SmokeReports;
import dev.datahub.smoke.SmokeResult;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.apache.maven.execution.DefaultMavenExecutionRequest;
import org.apache.maven.execution.DefaultMavenExecutionResult;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.project.MavenProject;
import dev.datahub.image.ImageContents;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * {@code mvn -T 2 datahub:status} at the root of a three-hub reactor whose records hold every state — passed, smoke
 * failed, forced, rolled back, stuck, failed — against the mock cluster with the real Helm engine: one table, one
 * Markdown summary and one self-contained page for all hubs, written once at the reactor root; the page is parsed
 * (well-formed XHTML: every hub, environment state and timeline event is there; no secret, not even one a record
 * carries unredacted) and looked at in a real headless chromium.
 */
class StatusPageTest {

  static final List<String> HUBS = List.of("hub-a", "hub-b", "hub-c");
  static final String FORCE_REASON = "hotfix INC-7, staging hub down";

  @TempDir Path tmp;
  final Map<String, List<String>> lines = new ConcurrentHashMap<>();

  @Test
  void oneStatusPageForEveryHubAndState() throws Exception {
    try (ReleaseFixture fx = new ReleaseFixture(tmp)) {
      List<String> secretFingerprints = history(fx);
      SmokeResult stagingSmoke = new SmokeResult("staging", "http://staging.hub.example.org/", "3.0.0", "smoke", "passed",
          null, null, "2026-11-30T00:00:00Z", 4200, 2000, 300, List.of(new CheckResult("import json", "passed", 12,
          null, null)), null, "done");
      new SmokeReports(new Redactor()).write(stagingSmoke, tmp.resolve("hub-a/target/datahub/smoke-test"), null);
      Path stepSummary = tmp.resolve("step-summary.md");

      MavenSession session = session();
      ExecutorService pool = Executors.newFixedThreadPool(2); // like mvn -T 2
      try {
        List<Future<?>> runs = new ArrayList<>();
        for (MavenProject project : session.getProjects()) {
          runs.add(pool.submit(() -> {
            StatusMojo mojo = configure(fx, project, session, stepSummary);
            mojo.execute();
            return null;
          }));
        }
        for (Future<?> run : runs) {
          run.get(3, TimeUnit.MINUTES);
        }
      } finally {
        pool.shutdownNow();
      }

      Path page = tmp.resolve("target/datahub/status.html");
      assertTrue(Files.isRegularFile(page), "the page is written at the reactor root: " + all());
      for (String hub : HUBS) {
        assertFalse(Files.exists(tmp.resolve(hub + "/target/datahub/status.html")), hub + " wrote no page of its own");
        assertTrue(Files.isRegularFile(tmp.resolve(hub + "/target/datahub/release/status.json")), hub);
      }
      String html = Files.readString(page);
      String markdown = Files.readString(tmp.resolve("target/datahub/status.md"));
      String summary = Files.readString(stepSummary);
      List<String> console = lines.values().stream().flatMap(List::stream).toList();
      System.out.println(all());
      assertEquals(1, console.stream().filter(l -> l.contains("Status page: ")).count(), all());
      assertEquals(1, console.stream().filter(l -> l.contains("HUB") && l.contains("PROD VS STAGING")).count(), all());
      assertEquals(1, summary.split("## DataHub status", -1).length - 1, summary);

      Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
          .parse(new java.io.ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
      XPath x = XPathFactory.newInstance().newXPath();
      assertEquals(HUBS, nodes(x, doc, "//section[@class='hub']/@data-hub"));
      assertEquals("passed", state(x, doc, "hub-a", "staging"));
      assertEquals("rolled-back", state(x, doc, "hub-a", "prod"));
      assertEquals("smoke-failed", state(x, doc, "hub-b", "staging"));
      assertEquals("forced", state(x, doc, "hub-b", "prod"));
      assertEquals("stuck", state(x, doc, "hub-c", "staging"));
      assertEquals("failed", state(x, doc, "hub-c", "prod"));
      assertEquals("true", x.evaluate("//tr[@data-hub='hub-a']/td/@data-behind", doc), "hub-a's prod is behind");
      assertEquals("stuck", x.evaluate("//tr[@data-hub='hub-c']/td[last()]/span", doc));
      // the cards agree with the table
      assertEquals("forced", x.evaluate("//section[@data-hub='hub-b']/div/div[@data-environment='prod']/@data-state", doc));

      // timelines: every kind of event, where it happened
      assertTrue(has(x, doc, "hub-a", "[@data-kind='rollback'][@data-environment='prod'][@data-outcome='succeeded']"));
      assertTrue(has(x, doc, "hub-a", "[@data-kind='promote'][@data-outcome='failed']"));
      assertTrue(has(x, doc, "hub-a", "[@data-kind='smoke'][@data-environment='prod'][@data-outcome='failed']"));
      assertTrue(has(x, doc, "hub-a", "[@data-kind='smoke'][@data-environment='staging'][@data-outcome='passed']"));
      assertTrue(has(x, doc, "hub-b", "[@data-kind='promote'][@data-forced='true']"));
      assertTrue(has(x, doc, "hub-b", "[@data-kind='smoke'][@data-environment='staging'][@data-outcome='failed']"));
      assertTrue(has(x, doc, "hub-c", "[@data-kind='deploy'][@data-environment='staging'][@data-outcome='succeeded']"));
      assertTrue(x.evaluate("//section[@data-hub='hub-b']//li[@data-forced='true']", doc).contains(FORCE_REASON), html);
      assertEquals(4, ((NodeList) x.evaluate("//section[@data-hub='hub-a']//li[@data-kind='smoke']", doc,
          XPathConstants.NODESET)).getLength(), "each smoke verdict is an event: staging a, prod a, staging b, prod b (failed)");

      // the last promotion's diff: what prod got against what it ran before
      String diffA = x.evaluate("//section[@data-hub='hub-a']//ul[@class='diff']", doc);
      assertTrue(diffA.contains("image " + digest('a').substring(0, 19) + " -> " + digest('b').substring(0, 19)), diffA);
      assertTrue(diffA.contains("Python package upgraded: numpy 1.26.4 -> 2.1.0"), diffA);
      assertTrue(diffA.contains("Python package added: scipy 1.14.1"), diffA);
      assertTrue(diffA.contains("Python package removed: xlrd 2.0.1"), diffA);
      assertFalse(diffA.contains("pandas"), "an unchanged package is not a change: " + diffA);
      String diffB = x.evaluate("//section[@data-hub='hub-b']//ul[@class='diff']", doc);
      assertTrue(diffB.contains("nothing deployed yet: ") && diffB.contains("@" + digest('c') + " with chart"), diffB);
      // drift and stuck are said, with the fix
      String hubC = x.evaluate("//section[@data-hub='hub-c']", doc);
      assertTrue(hubC.contains("revision 2 pending-upgrade"), hubC);
      assertTrue(hubC.contains("-Ddatahub.recover=true"), hubC);
      assertTrue(hubC.contains("the live release is revision 2 (pending-upgrade), record"), hubC);

      // a link to the smoke report beside hub-a's staging card, relative, to a file that exists
      String href = x.evaluate("//section[@data-hub='hub-a']//div[@data-environment='staging']//a[@class='smoke-report']"
          + "/@href", doc);
      assertEquals("../../hub-a/target/datahub/smoke-test/" + SmokeReports.MARKDOWN_FILE, href);
      assertTrue(Files.isRegularFile(page.getParent().resolve(href)));
      assertEquals("", x.evaluate("//section[@data-hub='hub-b']//a[@class='smoke-report']/@href", doc));

      // self-contained: nothing is fetched from anywhere
      for (String external : List.of("<script", "<link", "src=", "url(", "@import", "@font-face", "<img", "<iframe")) {
        assertFalse(html.contains(external), external);
      }
      // no secret: not the values, not one a record carries unredacted, not the secret values' fingerprint
      for (String text : List.of(html, markdown, summary, String.join("\n", console))) {
        assertFalse(text.contains(ReleaseFixture.SECRET_TOKEN), text);
        for (String fingerprint : secretFingerprints) {
          assertFalse(text.contains(fingerprint.substring(fingerprint.indexOf(':') + 1, fingerprint.indexOf(':') + 13)),
              "secret values fingerprint in " + text);
        }
      }
      assertTrue(html.contains("helm upgrade failed: proxy.secretToken=****"), "the record's secret was masked");
      assertTrue(markdown.contains("| hub-c |"), markdown);

      Path png = tmp.resolve("status.png");
      Chromium.screenshot(page, png, 1280, 2200);
      BufferedImage shot = ImageIO.read(png.toFile());
      assertEquals(1280, shot.getWidth());
      for (int[] colour : new int[][] {{0x1a, 0x7f, 0x37}, {0xcf, 0x22, 0x2e}, {0xbc, 0x4c, 0x00}, {0x66, 0x39, 0xba},
          {0xa4, 0x0e, 0x26}}) {
        assertTrue(pixels(shot, colour) > 200, "status colour " + Integer.toHexString(colour[0] << 16 | colour[1] << 8
            | colour[2]) + " is seen on the page");
      }
      String docs = System.getProperty("datahub.status.screenshot");
      if (docs != null) {
        Files.copy(png, Path.of(docs), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /**
   * hub-a: staging passed, promoted; then b passed on staging, its promotion failed prod's smoke test and prod was
   * rolled back. hub-b: staging's smoke test failed, prod got it by a forced promotion. hub-c: staging stuck in
   * pending-upgrade; prod's promotion failed with a message that carries a secret (written by something that did not
   * redact it). Returns the secret values' fingerprints the records hold.
   */
  private List<String> history(ReleaseFixture fx) throws Exception {
    HubRelease aStaging = fx.release(env(fx, "hub-a", "staging"));
    HubRelease aProd = fx.release(env(fx, "hub-a", "prod"));
    aStaging.deploy(fx.request(ReleaseFixture.image('a').withContents(contents("numpy", "1.26.4", "xlrd", "2.0.1"))));
    fx.smoke(aStaging, true, digest('a'), "1 check passed");
    promotion(fx, aStaging, aProd, true).promote(ChartSource.local(ReleaseFixture.CHART), List.of(), "c1", false, null,
        false);
    aStaging.deploy(fx.request(ReleaseFixture.image('b').withContents(contents("numpy", "2.1.0", "scipy", "1.14.1"))));
    fx.smoke(aStaging, true, digest('b'), "1 check passed");
    assertThrows(DataHubException.class, () -> promotion(fx, aStaging, aProd, false).promote(
        ChartSource.local(ReleaseFixture.CHART), List.of(), "c2", false, null, false));

    HubRelease bStaging = fx.release(env(fx, "hub-b", "staging"));
    HubRelease bProd = fx.release(env(fx, "hub-b", "prod"));
    bStaging.deploy(fx.request(ReleaseFixture.image('c')));
    fx.smoke(bStaging, false, digest('c'), "import numpy: ModuleNotFoundError");
    promotion(fx, bStaging, bProd, true).promote(ChartSource.local(ReleaseFixture.CHART), List.of(), "c3", true,
        FORCE_REASON, false);

    HubRelease cStaging = fx.release(env(fx, "hub-c", "staging"));
    DeploymentRecord c = cStaging.deploy(fx.request(ReleaseFixture.image('d')));
    fx.smoke(cStaging, true, digest('d'), "1 check passed");
    StuckRelease.markPending(fx.cluster.client(), "hub-c-staging", "hub", 2);
    new DeploymentRecords(fx.cluster.client(), "hub-c-prod", "prod", 10).write(new DeploymentRecord(null, 0, "prod",
        DeploymentRecord.Kind.PROMOTE, "hub", 0, c.bundle(), null, "2026-11-30T00:10:00Z",
        DeploymentRecord.Result.FAILED, "helm upgrade failed: proxy.secretToken=" + ReleaseFixture.SECRET_TOKEN, null,
        c.id(), null, null));

    List<String> fingerprints = new ArrayList<>();
    for (String ns : List.of("hub-a-staging", "hub-a-prod", "hub-b-staging", "hub-b-prod", "hub-c-staging")) {
      String environment = ns.substring(ns.lastIndexOf('-') + 1);
      new DeploymentRecords(fx.cluster.client(), ns, environment, 10).all().forEach(r -> {
        assertTrue(r.bundle().secretValuesHmac().startsWith("hmac-sha256:"), r.toString());
        fingerprints.add(r.bundle().secretValuesHmac());
      });
    }
    return fingerprints;
  }

  private static Promotion promotion(ReleaseFixture fx, HubRelease staging, HubRelease prod, boolean prodPasses) {
    SmokeRunner smoke = (environment, url, image) -> new SmokeVerdict(prodPasses, Digest.in(image), url,
        prodPasses ? "1 check passed" : "import json: kernel died");
    return new Promotion(staging, prod, smoke, fx.redactor.wrap(fx.log));
  }

  private static EnvironmentSpec env(ReleaseFixture fx, String hub, String name) {
    return fx.environment(name, "staging".equals(name) ? MockCluster.STAGING_CONTEXT : MockCluster.PROD_CONTEXT,
        hub + "-" + name);
  }

  /** What build-image would record: the base's pandas plus two packages the build installs. */
  private static ImageContents contents(String first, String firstVersion, String second, String secondVersion) {
    return new ImageContents("quay.io/jupyter/base-notebook:python-3.11", digest('9'),
        new TreeMap<>(Map.of("pandas", "2.2.3", first, firstVersion, second, secondVersion)), List.of(first, second),
        List.of());
  }

  private static String digest(char hex) {
    return "sha256:" + String.valueOf(hex).repeat(64);
  }

  /** The reactor as Maven builds it: the aggregator first, then its three hubs. */
  private MavenSession session() {
    MavenProject root = new MavenProject();
    root.setArtifactId("hubs");
    root.setPackaging("pom");
    root.getModules().addAll(HUBS);
    root.setFile(tmp.resolve("pom.xml").toFile());
    root.getBuild().setDirectory(tmp.resolve("target").toString());
    root.setExecutionRoot(true);
    List<MavenProject> projects = new ArrayList<>(List.of(root));
    for (String hub : HUBS) {
      MavenProject project = new MavenProject();
      project.setArtifactId(hub);
      project.setFile(tmp.resolve(hub + "/pom.xml").toFile());
      project.getBuild().setDirectory(tmp.resolve(hub + "/target").toString());
      projects.add(project);
    }
    return new MavenSession(null, new DefaultMavenExecutionRequest(), new DefaultMavenExecutionResult(), projects);
  }

  private StatusMojo configure(ReleaseFixture fx, MavenProject project, MavenSession session, Path stepSummary) {
    StatusMojo mojo = new StatusMojo();
    String hub = project.getArtifactId();
    mojo.setLog(new CapturingMavenLog(lines.computeIfAbsent(hub, h -> new CopyOnWriteArrayList<>())));
    mojo.project = project;
    mojo.session = session;
    mojo.chart = new ChartConfig();
    mojo.chart.directory = ReleaseFixture.CHART.toFile();
    mojo.environments = new Environments();
    mojo.environments.staging = environment(fx, hub, "staging", MockCluster.STAGING_CONTEXT);
    mojo.environments.prod = environment(fx, hub, "prod", MockCluster.PROD_CONTEXT);
    mojo.environmentVariables = name -> "GITHUB_STEP_SUMMARY".equals(name) ? stepSummary.toString() : null;
    return mojo;
  }

  private static EnvironmentConfig environment(ReleaseFixture fx, String hub, String name, String context) {
    EnvironmentConfig config = new EnvironmentConfig();
    config.kubeContext = context;
    config.kubeconfig = fx.cluster.kubeconfig().toFile();
    config.namespace = hub + "-" + name;
    config.release = "hub";
    config.values = List.of(fx.dir.resolve(name + "-values.yaml").toFile());
    config.secretValues = List.of(new File(fx.dir.resolve(name + "-secret.yaml").toString()));
    return config;
  }

  private static String state(XPath x, Document doc, String hub, String environment) throws Exception {
    return x.evaluate("//tr[@data-hub='" + hub + "']/td[@data-environment='" + environment + "']/@data-state", doc);
  }

  private static boolean has(XPath x, Document doc, String hub, String predicate) throws Exception {
    return ((NodeList) x.evaluate("//section[@data-hub='" + hub + "']//li" + predicate, doc, XPathConstants.NODESET))
        .getLength() > 0;
  }

  private static List<String> nodes(XPath x, Document doc, String path) throws Exception {
    NodeList list = (NodeList) x.evaluate(path, doc, XPathConstants.NODESET);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.getLength(); i++) {
      out.add(list.item(i).getNodeValue());
    }
    return out;
  }

  private static int pixels(BufferedImage image, int[] rgb) {
    int count = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int p = image.getRGB(x, y);
        if (Math.abs((p >> 16 & 0xff) - rgb[0]) < 12 && Math.abs((p >> 8 & 0xff) - rgb[1]) < 12
            && Math.abs((p & 0xff) - rgb[2]) < 12) {
          count++;
        }
      }
    }
    return count;
  }

  private String all() {
    StringBuilder out = new StringBuilder();
    lines.forEach((hub, l) -> out.append(hub).append(":\n").append(String.join("\n", l)).append('\n'));
    return out.toString();
  }
}
