package dev.datahub.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datahub.fixtures.CapturingLog;
import dev.datahub.fixtures.LocalRegistry;
import dev.datahub.fixtures.LockWriter;
import dev.datahub.fixtures.MockCluster;
import dev.datahub.fixtures.PythonRepo;
import dev.datahub.fixtures.WheelBuilder;
import dev.datahub.image.BuiltImage;
import dev.datahub.image.ContentMapping;
import dev.datahub.image.DeployedTag;
import dev.datahub.image.ImageContents;
import dev.datahub.image.ImageSpec;
import dev.datahub.image.RegistryCredential;
import dev.datahub.image.SingleUserImage;
import dev.datahub.python.ImageWithPackages;
import dev.datahub.python.PythonSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The package diff on real images: each built by the real build-image core ({@link ImageWithPackages}: Python layers,
 * contents label, Jib) into a real registry, on real bases whose site-packages hold distributions. Image A → B upgrades
 * one package, adds one, removes one and changes a notebook; B → C changes only the base (which brings another version
 * of a base package). The diff reads only the bundles (what a record carries), and plan reads the image the deploy
 * tagged through the registry alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PackageDiffTest {

  private static final String SP = "/opt/conda/lib/python3.11/site-packages";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Path work;
  private LocalRegistry registry;
  private Path wheels;
  private BuiltImage a;
  private BuiltImage b;
  private BuiltImage c;

  @BeforeAll
  void buildImages(@TempDir Path dir) throws Exception {
    work = dir;
    registry = LocalRegistry.start();
    wheels = Files.createDirectories(work.resolve("wheels"));
    String base1 = pushBase("base/conda:1", "1.16.0");
    String base2 = pushBase("base/conda:2", "1.17.0");
    Path greet = PythonRepo.greetUtil().writeTo(wheels);
    Path hello2 = PythonRepo.hello("2.0").writeTo(wheels);
    Path hello21 = PythonRepo.hello("2.1").writeTo(wheels);
    Path extra = WheelBuilder.pureModule("extra-lib", "1.0").writeTo(wheels);
    Path datapkg = PythonRepo.datapkg().writeTo(wheels);

    Path lockA = LockWriter.lock().pin("greet-util", "1.2.0", List.of(greet)).pin("hello", "2.0", List.of(hello2))
        .pin("extra-lib", "1.0", List.of(extra)).writeTo(work.resolve("a.lock"));
    Path lockB = LockWriter.lock().pin("greet-util", "1.2.0", List.of(greet)).pin("hello", "2.1", List.of(hello21))
        .pin("datapkg", "0.1", List.of(datapkg)).writeTo(work.resolve("b.lock"));
    a = build("hub-a", base1, lockA, Map.of("intro.ipynb", "{\"cells\": []}\n", "week1.ipynb", "{}\n"));
    b = build("hub-b", base1, lockB, Map.of("intro.ipynb", "{\"cells\": [1]}\n", "week1.ipynb", "{}\n",
        "week2.ipynb", "{}\n"));
    c = build("hub-c", base2, lockB, Map.of("intro.ipynb", "{\"cells\": [1]}\n", "week1.ipynb", "{}\n",
        "week2.ipynb", "{}\n"));
  }

  @org.junit.jupiter.api.AfterAll
  void stopRegistry() throws Exception {
    registry.close();
  }

  @Test
  void imageJsonAndTheImageLabelListEveryPackageThePythonSees() throws Exception {
    ImageContents contents = a.contents();
    assertEquals(Map.of("greet-util", "1.2.0", "hello", "2.0", "extra-lib", "1.0", "six", "1.16.0"),
        contents.packages(), "installed ones over the base's (hello 1.0 of the base is replaced)");
    assertEquals(List.of("extra-lib", "greet-util", "hello"), contents.installed());
    assertTrue(contents.baseDigest().startsWith("sha256:"), contents.baseDigest());
    assertEquals(1, contents.mappings().size());
    assertEquals("/srv/datahub/notebooks", contents.mappings().get(0).target());
    assertEquals(Set.of("intro.ipynb", "week1.ipynb"), contents.mappings().get(0).files().keySet());

    JsonNode imageJson = JSON.readTree(work.resolve("hub-a/target/datahub/image.json").toFile());
    assertEquals("2.0", imageJson.at("/contents/packages/hello").asText());
    assertEquals(contents.baseDigest(), imageJson.at("/contents/baseDigest").asText());

    DeployedTag.Tagged fromRegistry = new DeployedTag(Set.of(registry.host()), RegistryCredential.Lookup.none())
        .read(a.reference()).orElseThrow();
    assertEquals(a.digest(), fromRegistry.digest());
    assertEquals(contents, fromRegistry.contents().orElseThrow(), "the image's own label carries the same contents");
  }

  @Test
  void anUnchangedRebuildReadsNoBlobAndKeepsTheContents() throws Exception {
    long mark = registry.mark();
    Path lockA = work.resolve("a.lock");
    BuiltImage again = build("hub-a", registry.host() + "/base/conda:1", lockA, Map.of());
    List<String> requests = registry.requestsSince(mark);
    assertTrue(again.reusedExisting());
    assertEquals(a.digest(), again.digest());
    assertEquals(a.contents(), again.contents());
    assertFalse(requests.stream().anyMatch(r -> r.contains("/blobs/")), "the base's packages are cached: " + requests);
    System.out.println("unchanged rebuild with a real base: " + requests.size() + " registry requests: " + requests);
  }

  @Test
  void upgradedAddedRemovedPackagesAndAChangedNotebook() {
    BundleDiff diff = BundleDiff.between(bundle(a), bundle(b));
    List<String> lines = diff.lines();
    assertTrue(lines.contains("Python package upgraded: hello 2.0 -> 2.1"), lines.toString());
    assertTrue(lines.contains("Python package added: datapkg 0.1"), lines.toString());
    assertTrue(lines.contains("Python package removed: extra-lib 1.0"), lines.toString());
    assertTrue(lines.contains("content changed: /srv/datahub/notebooks: changed intro.ipynb; added week2.ipynb"),
        lines.toString());
    assertFalse(lines.stream().anyMatch(l -> l.contains("greet-util") || l.contains("six")), "unchanged: " + lines);
    assertFalse(lines.stream().anyMatch(l -> l.startsWith("base image")), "same base: " + lines);
    assertFalse(lines.stream().anyMatch(l -> l.contains("chart") || l.contains("values")), lines.toString());
    assertEquals(3, diff.packages().size());

    List<String> back = BundleDiff.between(bundle(b), bundle(a)).lines();
    assertTrue(back.contains("Python package downgraded: hello 2.1 -> 2.0"), back.toString());
    assertTrue(back.contains("content changed: /srv/datahub/notebooks: changed intro.ipynb; removed week2.ipynb"),
        back.toString());
  }

  @Test
  void aNewBaseShowsAsBaseChangeWithTheBasePackagesItBrings() {
    List<String> lines = BundleDiff.between(bundle(b), bundle(c)).lines();
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("base image " + registry.host() + "/base/conda:1@sha256:")
        && l.contains(" -> " + registry.host() + "/base/conda:2@sha256:")), lines.toString());
    assertTrue(lines.contains("Python package upgraded: six 1.16.0 -> 1.17.0"), lines.toString());
    assertFalse(lines.stream().anyMatch(l -> l.startsWith("content") || l.contains("hello")), lines.toString());
  }

  @Test
  void sameBundleIsEmptyAndNothingDeployedIsOneLine() {
    assertTrue(BundleDiff.between(bundle(a), bundle(a)).isEmpty());
    List<String> first = BundleDiff.between(null, bundle(a)).lines();
    assertEquals(1, first.size(), first.toString());
    assertTrue(first.get(0).startsWith("nothing deployed yet: ") && first.get(0).contains("4 Python packages"), first.get(0));
  }

  @Test
  void chartAndValuesChangesNameTheLayerButNeverASecret() {
    ReleaseBundle was = bundle(a);
    ReleaseBundle now = new ReleaseBundle(was.image(), was.imageDigest(), "hub", "1.1.0", "sha256:" + "d".repeat(64),
        "sha256:" + "2".repeat(64), was.environmentValuesDigest(), was.imageValuesDigest(), "hmac-of-new-secrets",
        List.of("hub.db.password"), "commit", was.contents());
    List<String> lines = BundleDiff.between(was, now).lines();
    assertEquals(List.of("chart hub-1.0.0 -> hub-1.1.0", "common values changed (111111111111 -> 222222222222)",
        "secret values changed (not shown)"), lines);
    assertFalse(String.join("\n", lines).contains("hmac-of-new-secrets"));
  }

  @Test
  void recordsCarryTheContentsUnderTheirSignatureAndOldRecordsStillVerify() throws Exception {
    try (MockCluster cluster = new MockCluster(work.resolve("cluster"))) {
      DeploymentRecords records = new DeploymentRecords(cluster.client(), "hub-staging", "staging", 10);
      DeploymentRecord old = records.write(record(bundle(a).withContents(null)));
      DeploymentRecord withContents = records.write(record(bundle(b)));
      ConfigMap oldMap = cluster.client().configMaps().inNamespace("hub-staging").withName(old.id()).get();
      assertFalse(oldMap.getData().get(DeploymentRecords.DATA_KEY).contains("\"contents\""),
          "a record without contents is written (and signed) exactly as before the field existed");

      List<DeploymentRecord> read = records.all();
      assertEquals(withContents.id(), read.get(0).id());
      assertTrue(records.verified(read.get(0)));
      assertTrue(records.verified(read.get(1)), "the record without contents still verifies");
      assertEquals(b.contents(), read.get(0).bundle().contents());
      // the diff of the last deploy from the records alone
      assertTrue(BundleDiff.between(read.get(1).bundle(), read.get(0).bundle()).lines()
          .contains("packages and content not compared: the current bundle does not record what its image holds "
              + "(built or deployed before the plugin recorded it)"));

      // editing a package version in the stored record breaks its signature
      ConfigMap stored = cluster.client().configMaps().inNamespace("hub-staging").withName(withContents.id()).get();
      String json = stored.getData().get(DeploymentRecords.DATA_KEY);
      assertTrue(json.contains("\"hello\" : \"2.1\""), json);
      stored.getData().put(DeploymentRecords.DATA_KEY, json.replace("\"hello\" : \"2.1\"", "\"hello\" : \"2.0\""));
      cluster.client().configMaps().inNamespace("hub-staging").resource(stored).update();
      DeploymentRecord tampered = records.all().get(0);
      assertEquals("2.0", tampered.bundle().contents().packages().get("hello"));
      assertFalse(records.verified(tampered), "the package list is covered by the signature");
    }
  }

  @Test
  void planComparesWithTheImageTheDeployTaggedThroughTheRegistryAlone() throws Exception {
    DeployedTag tags = new DeployedTag(Set.of(registry.host()), RegistryCredential.Lookup.none());
    CapturingLog log = new CapturingLog();
    tags.moveOrWarn(ImageRef.of(a).fullReference(), "staging", log);
    assertEquals(a.digest(), tags.read(a.repository() + ":datahub-staging").orElseThrow().digest());

    Path out = Files.createDirectories(work.resolve("plan-out"));
    Files.writeString(out.resolve(BundleDiff.FILE_NAME), "stale");
    PlanDiff.write(out, new PlanDiff.Against("staging", null, null, tags), ImageRef.of(b), null, null, log);
    assertTrue(Files.exists(out.resolve(BundleDiff.FILE_NAME)), log.text());
    JsonNode diff = JSON.readTree(out.resolve(BundleDiff.FILE_NAME).toFile());
    assertTrue(diff.get("against").asText().startsWith(a.repository() + ":datahub-staging (" + a.digest()),
        diff.toString());
    List<String> lines = JSON.convertValue(diff.get("lines"), JSON.getTypeFactory()
        .constructCollectionType(List.class, String.class));
    assertEquals(BundleDiff.between(bundle(a), bundle(b)).lines().subList(1, 5), lines.subList(1, 5), lines.toString());
    assertTrue(lines.get(0).startsWith("image " + a.digest().substring(0, 19)), lines.get(0));

    // a pull request's build that pushes nothing compares the same, from its image.json
    ImageRef fromImageJson = PlanDiff.builtImage(work.resolve("hub-b/target/datahub")).orElseThrow();
    assertEquals(b.contents(), fromImageJson.contents());
    Path tarballOut = Files.createDirectories(work.resolve("plan-tarball"));
    PlanDiff.write(tarballOut, new PlanDiff.Against("staging", null, null, tags), fromImageJson, null, null, log);
    assertEquals(diff.get("lines"), JSON.readTree(tarballOut.resolve(BundleDiff.FILE_NAME).toFile()).get("lines"));
    assertTrue(PlanDiff.builtImage(work.resolve("no-build")).isEmpty());

    // prod was never tagged: no diff, and no stale diff.json left behind
    PlanDiff.write(out, new PlanDiff.Against("prod", null, null, tags), ImageRef.of(b), null, null, log);
    assertFalse(Files.exists(out.resolve(BundleDiff.FILE_NAME)));
    assertTrue(log.contains(":datahub-prod does not exist yet"), log.text());
  }

  private static DeploymentRecord record(ReleaseBundle bundle) {
    return new DeploymentRecord(null, 0, "staging", DeploymentRecord.Kind.DEPLOY, "hub-staging", 1, bundle, null,
        "2026-11-30T00:00:00Z", DeploymentRecord.Result.SUCCEEDED, null, null, null, null, null);
  }

  private static ReleaseBundle bundle(BuiltImage image) {
    return new ReleaseBundle(ImageRef.of(image).fullReference(), image.digest(), "hub", "1.0.0", "sha256:" + "c".repeat(64),
        "sha256:" + "1".repeat(64), "sha256:" + "e".repeat(64), "sha256:" + "f".repeat(64), "none", List.of(), "commit",
        image.contents());
  }

  private BuiltImage build(String name, String base, Path lock, Map<String, String> notebooks) throws IOException {
    Path hub = Files.createDirectories(work.resolve(name));
    Path dir = Files.createDirectories(hub.resolve("notebooks"));
    for (Map.Entry<String, String> e : notebooks.entrySet()) {
      Files.writeString(dir.resolve(e.getKey()), e.getValue());
    }
    ImageSpec spec = new ImageSpec(base, registry.host() + "/hubs/datahub", List.of(), "Docker",
        List.of(new ContentMapping(Path.of("notebooks"), "/srv/datahub/notebooks", null, null, null)), List.of(),
        Map.of(), Map.of(), null, null, null, null, true, false, Set.of(registry.host()), hub,
        hub.resolve("target/datahub"), work.resolve("cache"), "test");
    PythonSpec python = new PythonSpec(lock, "none", wheels, null, null, null, null, null, null, null,
        work.resolve("wheel-cache"), hub.resolve("target/datahub/python"), 0);
    return new ImageWithPackages(RegistryCredential.Lookup.none(), new CapturingLog()).build(spec, python);
  }

  /** A conda-layout base with hello 1.0 and six in site-packages, as a real registry image. */
  private String pushBase(String repository, String sixVersion) throws IOException {
    Path project = work.resolve("base-" + sixVersion);
    Path sp = project.resolve("rootfs" + SP);
    Files.createDirectories(sp.resolve("hello"));
    Files.createDirectories(sp.resolve("hello-1.0.dist-info"));
    Files.writeString(sp.resolve("hello/__init__.py"), "__version__ = \"1.0\"\n");
    Files.writeString(sp.resolve("hello-1.0.dist-info/METADATA"), "Metadata-Version: 2.1\nName: hello\nVersion: 1.0\n");
    Files.writeString(sp.resolve("hello-1.0.dist-info/RECORD"), String.join("\n",
        "hello/__init__.py,,", "hello-1.0.dist-info/METADATA,,", "hello-1.0.dist-info/RECORD,,", ""));
    Files.createDirectories(sp.resolve("six-" + sixVersion + ".dist-info"));
    Files.writeString(sp.resolve("six.py"), "__version__ = '" + sixVersion + "'\n");
    Files.writeString(sp.resolve("six-" + sixVersion + ".dist-info/METADATA"),
        "Metadata-Version: 2.1\nName: six\nVersion: " + sixVersion + "\n");
    Files.writeString(sp.resolve("six-" + sixVersion + ".dist-info/RECORD"), String.join("\n",
        "six.py,,", "six-" + sixVersion + ".dist-info/METADATA,,", "six-" + sixVersion + ".dist-info/RECORD,,", ""));
    String to = registry.host() + "/" + repository;
    ImageSpec spec = new ImageSpec(SingleUserImage.SCRATCH, to, List.of(), "Docker",
        List.of(new ContentMapping(Path.of("rootfs/opt/conda"), "/opt/conda", null, "775", "1000:100")), List.of(),
        Map.of(), Map.of(), null, null, null, null, true, false, Set.of(registry.host()), project,
        project.resolve("target"), work.resolve("base-cache"), "test");
    new SingleUserImage(RegistryCredential.Lookup.none(), new CapturingLog()).build(spec);
    return to;
  }
}
