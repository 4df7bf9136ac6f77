package dev.datahub.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.DataHubException;
import dev.datahub.fixtures.ImageRoot;
import dev.datahub.fixtures.LockWriter;
import dev.datahub.fixtures.PythonIndexServer;
import dev.datahub.fixtures.PythonIndexServer.Form;
import dev.datahub.fixtures.PythonRepo;
import dev.datahub.fixtures.Python3;
import dev.datahub.fixtures.WheelBuilder;
import dev.datahub.image.ImageLayer;
import dev.datahub.image.ImageLayer.ImageFile;
import dev.datahub.log.StepLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path from a hashed lock to layers, against a real HTTP index on loopback, real wheels
 * built by the test, and Debian's python3 importing and running what the layers contain.
 */
class PythonPackagesTest {

  static final String SITE = "/opt/conda/lib/python3.11/site-packages";

  @TempDir Path tmp;
  Path wheels;
  Path cache;
  Path work;
  List<Path> all;

  @BeforeEach
  void world() throws IOException {
    wheels = tmp.resolve("wheels");
    cache = tmp.resolve("cache");
    work = tmp.resolve("work");
    all = PythonRepo.writeAll(wheels);
  }

  Path fullLock() throws IOException {
    return LockWriter.lock()
        .pin("datapkg", "0.1", files("datapkg-"))
        .pin("fastmath", "2.0", files("fastmath-"))
        .pin("greet-util", "1.2.0", files("greet_util-"))
        .pin("hello", "1.0.0", files("hello-"))
        .raw("pywin32==306 ; sys_platform == \"win32\" \\\n    --hash=sha256:" + "0".repeat(64) + "\n    # via hello")
        .writeTo(tmp.resolve("requirements.lock"));
  }

  List<Path> files(String prefix) {
    return all.stream().filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
  }

  PythonSpec spec(Path lock) {
    return PythonSpec.of(lock, cache, work);
  }

  static PythonPackages packages() {
    return new PythonPackages();
  }

  @Test
  void jsonIndexInstallsLayersThatPythonImportsAndRuns() throws Exception {
    try (PythonIndexServer index = PythonIndexServer.serve(wheels, Form.JSON)) {
      List<ImageLayer> layers = packages().layers(spec(fullLock()).withIndex(index.indexUrl()), BaseImageFiles.none(),
          StepLog.silent());

      assertEquals(List.of("python: datapkg 0.1", "python: fastmath 2.0", "python: greet-util 1.2.0",
          "python: hello 1.0.0"), layers.stream().map(ImageLayer::name).toList(), "one layer per package, by name");
      for (ImageLayer layer : layers) {
        List<String> paths = layer.files().stream().map(ImageFile::pathInImage).toList();
        assertEquals(paths.stream().sorted().toList(), paths, "files in stable order");
      }

      Path root = tmp.resolve("root");
      ImageRoot.apply(root, layers);
      Path site = root.resolve(SITE.substring(1));
      var run = Python3.run(site, "-c", "import hello, greet_util, fastmath, datapkg, importlib.metadata as m; "
          + "print(hello.__version__, fastmath.__variant__, datapkg.__version__, m.version('hello'))");
      assertEquals(new Python3.Run(0, "1.0.0 manylinux 0.1 1.0.0"), run, "imports the locked versions, platform wheel chosen");

      Path launcher = root.resolve("opt/conda/bin/hello");
      assertEquals("#!/opt/conda/bin/python", Files.readAllLines(launcher).get(0));
      assertEquals(new Python3.Run(0, "hello-cli 1.0.0: hello world"), Python3.run(site, launcher.toString()));
      assertEquals(0755, mode(layers, "/opt/conda/bin/hello"));

      Path datatool = root.resolve("opt/conda/bin/datatool");
      assertEquals("#!/opt/conda/bin/python", Files.readAllLines(datatool).get(0), "#!python rewritten");
      assertEquals(new Python3.Run(0, "datatool 0.1"), Python3.run(site, datatool.toString()));
      assertEquals(0755, mode(layers, "/opt/conda/bin/datatool"));
      assertEquals("data file\n", Files.readString(root.resolve("opt/conda/share/datapkg/readme.txt")));
      assertTrue(Files.exists(root.resolve("opt/conda/include/python3.11/datapkg/datapkg.h")));
      assertEquals(0755, mode(layers, SITE + "/datapkg_helper/run.sh"), "executable mode kept");
      assertEquals(0644, mode(layers, SITE + "/datapkg_helper/__init__.py"));

      var records = Python3.run(site, "-c", String.join("\n",
          "import importlib.metadata as m, hashlib, base64, sys",
          "bad = []",
          "for d in sorted(m.distributions(path=[sys.path[1]]), key=lambda d: d.metadata['Name']):",
          "    for f in d.files:",
          "        data = f.locate().read_bytes()",
          "        if f.hash is None: continue",
          "        h = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()",
          "        if h != f.hash.value or len(data) != f.size: bad.append(str(f))",
          "    print(d.metadata['Name'], d.version, d.read_text('INSTALLER').strip(), len(d.files))",
          "print('bad', bad)"));
      assertEquals(0, records.exitCode(), records.output());
      assertEquals("datapkg 0.1 datahub 10\nfastmath 2.0 datahub 5\ngreet-util 1.2.0 datahub 5\n"
          + "hello 1.0.0 datahub 8\nbad []", records.output(), "RECORD lists every file with its hash and size");
    }
  }

  @Test
  void htmlIndexGivesTheSameLayersAndARebuildDownloadsNothing() throws Exception {
    Path lock = fullLock();
    List<String> first;
    try (PythonIndexServer index = PythonIndexServer.serve(wheels, Form.HTML)) {
      PythonPackages.Result result = packages().install(spec(lock).withIndex(index.indexUrl()), BaseImageFiles.none(),
          StepLog.silent());
      first = digests(result.layers());
      assertEquals(4, result.downloads());
      assertTrue(index.requests() > 0);
    }
    // The index is gone now: the rebuild must come entirely from the cache, byte for byte.
    PythonPackages.Result again = packages().install(spec(lock).withIndex("http://127.0.0.1:9/simple/"),
        BaseImageFiles.none(), StepLog.silent());
    assertEquals(0, again.downloads());
    assertEquals(first, digests(again.layers()), "identical layers on rebuild");
  }

  @Test
  void rebuildAgainstTheSameIndexMakesNoRequestsAndFindLinksGivesIdenticalLayers() throws Exception {
    Path lock = fullLock();
    try (PythonIndexServer index = PythonIndexServer.serve(wheels, Form.JSON)) {
      List<String> viaIndex = digests(packages().layers(spec(lock).withIndex(index.indexUrl()), BaseImageFiles.none(),
          StepLog.silent()));
      int requests = index.requests();
      packages().layers(spec(lock).withIndex(index.indexUrl()), BaseImageFiles.none(), StepLog.silent());
      assertEquals(requests, index.requests(), "a rebuild asks the index nothing");

      cache = tmp.resolve("other-cache");
      List<String> viaFindLinks = digests(packages().layers(spec(lock).withIndex("none").withFindLinks(wheels),
          BaseImageFiles.none(), StepLog.silent()));
      assertEquals(viaIndex, viaFindLinks, "same wheels → same layer bytes, whatever the source");
    }
  }

  @Test
  void stagedPackagesAreReusedUntouchedAndRepairedWhenIncomplete() throws Exception {
    PythonSpec spec = spec(fullLock()).withIndex("none").withFindLinks(wheels);
    List<ImageLayer> first = packages().layers(spec, BaseImageFiles.none(), StepLog.silent());
    ImageFile init = first.get(3).files().stream().filter(f -> f.pathInImage().endsWith("hello/__init__.py")).findFirst()
        .orElseThrow();
    Files.setLastModifiedTime(init.source(), java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L));
    Files.createDirectories(work.resolve("stale-1.0-000000000000"));

    List<ImageLayer> second = packages().layers(spec, BaseImageFiles.none(), StepLog.silent());
    assertEquals(1_000_000_000_000L, Files.getLastModifiedTime(init.source()).toMillis(), "not rewritten");
    assertEquals(digests(first), digests(second));
    assertFalse(Files.exists(work.resolve("stale-1.0-000000000000")), "unused staging removed");

    Files.delete(init.source());
    List<ImageLayer> repaired = packages().layers(spec, BaseImageFiles.none(), StepLog.silent());
    assertTrue(Files.isRegularFile(init.source()));
    assertEquals(digests(first), digests(repaired));
  }

  @Test
  void installedFilesCarryTheHashOfTheirStagedBytesAndReusedOnesAreReadAgain() throws Exception {
    PythonSpec spec = spec(fullLock()).withIndex("none").withFindLinks(wheels);
    List<ImageLayer> fresh = packages().layers(spec, BaseImageFiles.none(), StepLog.silent());
    List<String> known = new ArrayList<>();
    for (ImageLayer layer : fresh) {
      for (ImageFile f : layer.files()) {
        assertEquals(WheelBuilder.sha256Hex(f.source()), f.sha256(), f.pathInImage() + ": the image's input hash uses it");
        known.add(f.pathInImage());
      }
    }
    // the rewritten #!python script, a generated launcher, RECORD and INSTALLER: bytes the installer wrote, not the wheel's
    assertTrue(known.containsAll(List.of("/opt/conda/bin/datatool", "/opt/conda/bin/hello",
        SITE + "/hello-1.0.0.dist-info/RECORD", SITE + "/hello-1.0.0.dist-info/INSTALLER")), known.toString());

    // a staged file changed behind the build's back: the reused staging carries no hash, so the input hash reads it
    ImageFile init = fresh.get(3).files().stream().filter(f -> f.pathInImage().endsWith("hello/__init__.py"))
        .findFirst().orElseThrow();
    Files.writeString(init.source(), "changed = True\n");
    List<ImageLayer> reused = packages().layers(spec, BaseImageFiles.none(), StepLog.silent());
    assertTrue(reused.stream().flatMap(l -> l.files().stream()).allMatch(f -> f.sha256() == null),
        "files of a reused staging directory are read, not trusted");
  }

  @Test
  void sameWheelContentsGiveTheSameLayersTwiceAndWhateverTheZipOrder() throws Exception {
    Path inOrderWheel = PythonRepo.datapkg().writeTo(tmp.resolve("in-order"));
    Path reversedWheel = PythonRepo.datapkg().entriesReversed().writeTo(tmp.resolve("reversed"));
    assertFalse(WheelBuilder.sha256Hex(inOrderWheel).equals(WheelBuilder.sha256Hex(reversedWheel)), "other zip bytes");

    List<List<String>> runs = new ArrayList<>();
    for (Path wheel : List.of(inOrderWheel, inOrderWheel, reversedWheel)) {
      Path lock = LockWriter.lock().pin("datapkg", "0.1", List.of(wheel)).writeTo(tmp.resolve("lock-" + runs.size()));
      PythonSpec spec = PythonSpec.of(lock, tmp.resolve("cache-" + runs.size()), tmp.resolve("work-" + runs.size()))
          .withIndex("none").withFindLinks(wheel.getParent());
      List<ImageLayer> layers = packages().layers(spec, BaseImageFiles.none(), StepLog.silent());
      List<String> seen = new ArrayList<>(digests(layers));
      layers.forEach(l -> l.files().forEach(f -> seen.add(f.pathInImage() + " " + f.mode() + " " + f.sha256())));
      runs.add(seen);
    }
    assertEquals(runs.get(0), runs.get(1), "same wheel twice, fresh caches: same paths, modes, bytes and hashes");
    assertEquals(runs.get(0), runs.get(2), "the zip's entry order does not reach the layer");
  }

  @Test
  void findLinksWithNoIndexStartsNoHttpClientAndAnIndexBuildLeavesNoneRunning() throws Exception {
    java.util.Set<String> before = dev.datahub.OwnedHttpClientTest.selectorThreads();
    packages().layers(spec(fullLock()).withIndex("none").withFindLinks(wheels), BaseImageFiles.none(), StepLog.silent());
    // other tests' clients may stop meanwhile (their selector threads end when the client is collected): only a new
    // selector thread counts
    assertEquals(java.util.Set.of(), dev.datahub.OwnedHttpClientTest.newSince(before),
        "<index>none</index>: no client was created");

    try (PythonIndexServer index = PythonIndexServer.serve(wheels, Form.JSON)) {
      PythonPackages.Result fetched = packages().install(PythonSpec.of(fullLock(), work.resolveSibling("fresh-cache"),
          work.resolveSibling("fresh-work")).withIndex(index.indexUrl()), BaseImageFiles.none(), StepLog.silent());
      assertTrue(fetched.downloads() > 0, "this build downloaded through a client");
    }
    assertEquals(java.util.Set.of(), dev.datahub.OwnedHttpClientTest.newSince(before),
        "the client that downloaded from the index is stopped after install (no exit delay)");
  }

  @Test
  void addingOnePackageChangesOnlyItsLayer() throws Exception {
    Path lock = fullLock();
    PythonSpec spec = spec(lock).withIndex("none").withFindLinks(wheels);
    List<ImageLayer> before = packages().layers(spec, BaseImageFiles.none(), StepLog.silent());
    List<String> beforeDigests = digests(before);

    Path extra = WheelBuilder.pureModule("aaa-extra", "0.5").writeTo(wheels);
    Files.writeString(lock, Files.readString(lock) + "aaa-extra==0.5 \\\n    --hash=sha256:"
        + WheelBuilder.sha256Hex(extra) + "\n");
    List<ImageLayer> after = packages().layers(spec, BaseImageFiles.none(), StepLog.silent());

    assertEquals(before.size() + 1, after.size());
    assertEquals("python: aaa-extra 0.5", after.get(0).name());
    assertEquals(beforeDigests, digests(after.subList(1, after.size())), "every other layer is byte-identical");
  }

  @Test
  void pastTheBoundPackagesAreGroupedDeterministicallyAndAdditionsTouchOneGroup() throws Exception {
    LockWriter lock = LockWriter.lock();
    for (int i = 0; i < 8; i++) {
      Path w = WheelBuilder.pureModule("pkg" + i, "1.0").writeTo(tmp.resolve("many"));
      lock.pin("pkg" + i, "1.0", List.of(w));
    }
    Path lockFile = lock.writeTo(tmp.resolve("many.lock"));
    PythonSpec spec = spec(lockFile).withIndex("none").withFindLinks(tmp.resolve("many")).withMaxLayers(60);
    // 127 - 123 base layers = room for 4 Python layers.
    BaseImageFiles crowded = BaseImageFiles.of(123, List.of());
    List<ImageLayer> grouped = packages().layers(spec, crowded, StepLog.silent());
    assertTrue(grouped.size() <= 4, grouped.size() + " layers");
    assertEquals(8, grouped.stream().mapToLong(l -> l.files().stream()
        .filter(f -> f.pathInImage().endsWith("/__init__.py")).count()).sum());
    assertEquals(digests(grouped), digests(packages().layers(spec, crowded, StepLog.silent())), "deterministic");

    Path w = WheelBuilder.pureModule("pkg8", "1.0").writeTo(tmp.resolve("many"));
    Files.writeString(lockFile, Files.readString(lockFile) + "pkg8==1.0 --hash=sha256:" + WheelBuilder.sha256Hex(w) + "\n");
    List<String> after = digests(packages().layers(spec, crowded, StepLog.silent()));
    List<String> changed = new ArrayList<>(after);
    changed.removeAll(digests(grouped));
    assertEquals(1, changed.size(), "only the group that received pkg8 changed");

    assertThrows(DataHubException.class, () -> packages().layers(spec, BaseImageFiles.of(127, List.of()), StepLog.silent()));
  }

  @Test
  void aBasePackageInAnotherVersionIsReplacedWithoutStaleFiles() throws Exception {
    Path root = tmp.resolve("root");
    String old = SITE + "/hello-0.9.dist-info";
    // The base image: hello 0.9 with a module and a subpackage that 1.0 dropped, an old script, and a
    // namespace directory shared with another distribution.
    ImageRoot.put(root, SITE + "/hello/__init__.py", "__version__ = '0.9'\n");
    ImageRoot.put(root, SITE + "/hello/legacy.py", "X = 1\n");
    ImageRoot.put(root, SITE + "/hello/oldsub/__init__.py", "");
    ImageRoot.put(root, SITE + "/shared_ns/hello_part.py", "");
    ImageRoot.put(root, SITE + "/shared_ns/other_part.py", "");
    ImageRoot.put(root, "/opt/conda/bin/hello-old", "#!/opt/conda/bin/python\n");
    String record = "hello/__init__.py,sha256=x,1\nhello/legacy.py,sha256=x,1\nhello/oldsub/__init__.py,,\n"
        + "shared_ns/hello_part.py,,\n../../../bin/hello-old,,\nhello-0.9.dist-info/METADATA,,\n"
        + "hello-0.9.dist-info/RECORD,,\n";
    String metadata = "Metadata-Version: 2.1\nName: hello\nVersion: 0.9\n";
    ImageRoot.put(root, old + "/METADATA", metadata);
    ImageRoot.put(root, old + "/RECORD", record);
    ImageRoot.put(root, SITE + "/other-1.0.dist-info/METADATA", "Name: other\nVersion: 1.0\n");
    ImageRoot.put(root, SITE + "/other-1.0.dist-info/RECORD", "shared_ns/other_part.py,,\nother-1.0.dist-info/RECORD,,\n");
    BaseImageFiles base = BaseImageFiles.fromDistInfoFiles(SITE, 5, java.util.Map.of(
        old + "/METADATA", metadata, old + "/RECORD", record,
        SITE + "/other-1.0.dist-info/METADATA", "Name: other\nVersion: 1.0\n",
        SITE + "/other-1.0.dist-info/RECORD", "shared_ns/other_part.py,,\nother-1.0.dist-info/RECORD,,\n"));

    Path lock = LockWriter.lock().pin("greet-util", "1.2.0", files("greet_util-")).pin("hello", "1.0.0", files("hello-"))
        .writeTo(tmp.resolve("r.lock"));
    List<ImageLayer> layers = packages().layers(spec(lock).withIndex("none").withFindLinks(wheels), base, StepLog.silent());
    ImageLayer helloLayer = layers.get(1);
    List<String> whiteouts = helloLayer.files().stream().map(ImageFile::pathInImage).filter(p -> p.contains("/.wh.")).toList();
    assertEquals(List.of("/opt/conda/bin/.wh.hello-old", SITE + "/.wh.hello-0.9.dist-info", SITE + "/hello/.wh.legacy.py",
        SITE + "/hello/.wh.oldsub", SITE + "/shared_ns/.wh.hello_part.py"), whiteouts.stream().sorted().toList());

    ImageRoot.apply(root, layers);
    Path site = root.resolve(SITE.substring(1));
    var run = Python3.run(site, "-c", String.join("\n",
        "import importlib.metadata as m, importlib.util as u, hello",
        "print(hello.__version__, m.version('hello'), u.find_spec('hello.legacy'), u.find_spec('hello.oldsub'))",
        "print(sorted(d.metadata['Name'] + ' ' + d.version for d in m.distributions(path=[__import__('sys').path[1]])))"));
    assertEquals(new Python3.Run(0, "1.0.0 1.0.0 None None\n['greet-util 1.2.0', 'hello 1.0.0', 'other 1.0']"), run);
    assertTrue(Files.exists(site.resolve("shared_ns/other_part.py")), "another distribution's file survives");
    assertFalse(Files.exists(root.resolve("opt/conda/bin/hello-old")));
  }

  @Test
  void aBasePackageWithoutRecordIsRefused() throws Exception {
    BaseImageFiles base = BaseImageFiles.fromDistInfoFiles(SITE, 5, java.util.Map.of(
        SITE + "/hello-0.9.dist-info/METADATA", "Name: hello\nVersion: 0.9\n"));
    Path lock = LockWriter.lock().pin("greet-util", "1.2.0", files("greet_util-")).pin("hello", "1.0.0", files("hello-"))
        .writeTo(tmp.resolve("r.lock"));
    DataHubException e = assertThrows(DataHubException.class,
        () -> packages().layers(spec(lock).withIndex("none").withFindLinks(wheels), base, StepLog.silent()));
    assertTrue(e.getMessage().contains("without a RECORD") && e.getMessage().contains("<providedByBase>"), e.getMessage());
  }

  @Test
  void providedByBaseSatisfiesDependenciesAndIsNotInstalled() throws Exception {
    Path lock = LockWriter.lock().pin("greet-util", "1.2.0", files("greet_util-")).pin("hello", "1.0.0", files("hello-"))
        .writeTo(tmp.resolve("r.lock"));
    List<ImageLayer> layers = packages().layers(spec(lock).withIndex("none").withFindLinks(wheels)
        .withProvidedByBase(Set.of("Greet_Util")), BaseImageFiles.none(), StepLog.silent());
    assertEquals(List.of("python: hello 1.0.0"), layers.stream().map(ImageLayer::name).toList());
  }

  @Test
  void theExactLockedVersionInTheBaseIsNotInstalledAgain() throws Exception {
    BaseImageFiles base = BaseImageFiles.of(5, List.of(new InstalledDistribution("greet_util", "1.2", SITE
        + "/greet_util-1.2.dist-info", List.of(SITE + "/greet_util/__init__.py"), true)));
    Path lock = LockWriter.lock().pin("greet-util", "1.2.0", files("greet_util-")).pin("hello", "1.0.0", files("hello-"))
        .writeTo(tmp.resolve("r.lock"));
    List<String> lines = new ArrayList<>();
    List<ImageLayer> layers = packages().layers(spec(lock).withIndex("none").withFindLinks(wheels), base, capture(lines));
    assertEquals(List.of("python: hello 1.0.0"), layers.stream().map(ImageLayer::name).toList());
    assertTrue(lines.contains("info: python: greet-util 1.2.0 is already in the base image — not installed"), lines.toString());
  }

  @Test
  void missingDependencyThatTheBaseHasGetsAHintAndProvidedVersionsAreChecked() throws Exception {
    BaseImageFiles base = BaseImageFiles.of(5, List.of(new InstalledDistribution("greet-util", "0.5", SITE
        + "/greet_util-0.5.dist-info", List.of(), true)));
    Path lock = LockWriter.lock().pin("hello", "1.0.0", files("hello-")).writeTo(tmp.resolve("r.lock"));
    PythonSpec spec = spec(lock).withIndex("none").withFindLinks(wheels);
    DataHubException e = assertThrows(DataHubException.class, () -> packages().layers(spec, base, StepLog.silent()));
    assertTrue(e.getMessage().contains("missing greet-util (needed by hello 1.0.0 needs >=1.0) [the base image has "
        + "greet-util 0.5: add it to <providedByBase>]"), e.getMessage());

    List<String> lines = new ArrayList<>();
    packages().layers(spec.withProvidedByBase(Set.of("greet-util")), base, capture(lines));
    assertTrue(lines.contains("warn: python: hello 1.0.0 needs greet-util>=1.0 but the base image provides greet-util 0.5"),
        lines.toString());
  }

  static StepLog capture(List<String> lines) {
    return new StepLog() {
      @Override
      public void info(String line) {
        lines.add("info: " + line);
      }

      @Override
      public void warn(String line) {
        lines.add("warn: " + line);
      }

      @Override
      public void debug(String line) {}
    };
  }

  static int mode(List<ImageLayer> layers, String path) {
    return layers.stream().flatMap(l -> l.files().stream()).filter(f -> f.pathInImage().equals(path)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + path)).mode();
  }

  static List<String> digests(List<ImageLayer> layers) throws IOException {
    List<String> out = new ArrayList<>();
    for (ImageLayer l : layers) {
      out.add(l.name() + " " + ImageRoot.digest(l));
    }
    return out;
  }

  static long countFiles(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).count();
    }
  }
}
