package dev.datahub.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.DataHubException;
import dev.datahub.fixtures.LockWriter;
import dev.datahub.fixtures.PythonIndexServer;
import dev.datahub.fixtures.PythonIndexServer.Form;
import dev.datahub.fixtures.PythonRepo;
import dev.datahub.fixtures.WheelBuilder;
import dev.datahub.log.StepLog;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad input ends in one line that says what failed and what to do, and nothing is produced. */
class PythonErrorsTest {

  @TempDir Path tmp;
  Path wheels;
  Path cache;
  Path work;

  @BeforeEach
  void world() throws IOException {
    wheels = tmp.resolve("wheels");
    cache = tmp.resolve("cache");
    work = tmp.resolve("work");
    PythonRepo.writeAll(wheels);
  }

  Path wheel(String prefix) throws IOException {
    try (Stream<Path> s = Files.list(wheels)) {
      return s.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst().orElseThrow();
    }
  }

  String fail(LockWriter lock, String index) throws IOException {
    Path lockFile = lock.writeTo(tmp.resolve("requirements.lock"));
    PythonSpec spec = PythonSpec.of(lockFile, cache, work).withIndex(index);
    DataHubException e = assertThrows(DataHubException.class,
        () -> new PythonPackages().layers(spec, BaseImageFiles.none(), StepLog.silent()));
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    assertTrue(e.getMessage().contains(" — "), "names the fix: " + e.getMessage());
    return e.getMessage();
  }


  @Test
  void lockedHashThatNoFileHasIsAMismatch() throws Exception {
    try (PythonIndexServer index = PythonIndexServer.serve(wheels, Form.JSON)) {
      String msg = fail(LockWriter.lock().raw("greet-util==1.2.0 \\\n    --hash=sha256:" + "ab".repeat(32)), index.indexUrl());
      assertTrue(msg.startsWith("hash mismatch for greet-util==1.2.0: greet_util-1.2.0-py3-none-any.whl from index"), msg);
      assertTrue(msg.contains("regenerate the lock with --generate-hashes"), msg);
    }
    assertEquals(0, wheelsIn(cache));
    assertFalse(Files.exists(work), "nothing staged");
  }

  @Test
  void aMirrorServingOtherBytesThanAdvertisedIsCaughtAndNothingIsCached() throws Exception {
    try (PythonIndexServer index = PythonIndexServer.serve(wheels, Form.HTML)) {
      Path real = wheel("greet_util-");
      index.tamper(real.getFileName().toString(), WheelBuilder.pureModule("greet-util", "1.2.0").bytes());
      String msg = fail(LockWriter.lock().pin("greet-util", "1.2.0", List.of(real)), index.indexUrl());
      assertTrue(msg.startsWith("hash mismatch for greet-util==1.2.0: greet_util-1.2.0-py3-none-any.whl from index"), msg);
      assertTrue(msg.contains("but the lock allows " + WheelBuilder.sha256Hex(real)), msg);
    }
    assertEquals(0, wheelsIn(cache), "a wrong download never enters the cache");
  }

  @Test
  void missingDependencyNamesWhatAndWho() throws Exception {
    try (PythonIndexServer index = PythonIndexServer.serve(wheels, Form.JSON)) {
      String msg = fail(LockWriter.lock().pin("hello", "1.0.0", List.of(wheel("hello-"))), index.indexUrl());
      assertEquals("the Python lock is incomplete: missing greet-util (needed by hello 1.0.0 needs >=1.0) — regenerate "
          + "the lock with pip-compile/uv so it pins every dependency, or list base-image packages in <providedByBase>", msg);
    }
    assertFalse(Files.exists(work), "nothing staged");
  }

  @Test
  void dependencyOfARequestedExtraIsRequiredToo() throws Exception {
    Path lib = WheelBuilder.pureModule("lib", "1.0").requires("fancydep; extra == 'fancy'").writeTo(tmp.resolve("x"));
    Path app = WheelBuilder.pureModule("app", "1.0").requires("lib[fancy]>=1").writeTo(tmp.resolve("x"));
    Path lockFile = LockWriter.lock().pin("app", "1.0", List.of(app)).pin("lib", "1.0", List.of(lib))
        .writeTo(tmp.resolve("extras.lock"));
    PythonSpec spec = PythonSpec.of(lockFile, cache, work).withIndex("none").withFindLinks(tmp.resolve("x"));
    DataHubException e = assertThrows(DataHubException.class,
        () -> new PythonPackages().layers(spec, BaseImageFiles.none(), StepLog.silent()));
    assertTrue(e.getMessage().contains("missing fancydep (needed by lib 1.0)"), e.getMessage());
  }

  @Test
  void lockedVersionOutsideADependentsSpecifierIsInconsistent() throws Exception {
    Path old = WheelBuilder.pureModule("greet-util", "0.5").writeTo(wheels);
    try (PythonIndexServer index = PythonIndexServer.serve(wheels, Form.JSON)) {
      String msg = fail(LockWriter.lock().pin("greet-util", "0.5", List.of(old)).pin("hello", "1.0.0", List.of(wheel("hello-"))),
          index.indexUrl());
      assertTrue(msg.startsWith("the Python lock is inconsistent: hello 1.0.0 needs greet-util>=1.0 but the lock pins "
          + "greet-util==0.5"), msg);
    }
  }

  @Test
  void noCompatibleWheel() throws Exception {
    Path win = WheelBuilder.pureModule("winonly", "1.0").tag("cp311-cp311-win_amd64").writeTo(wheels);
    Path mac = WheelBuilder.pureModule("winonly", "1.0").tag("cp311-cp311-macosx_11_0_arm64").writeTo(wheels);
    try (PythonIndexServer index = PythonIndexServer.serve(wheels, Form.JSON)) {
      String msg = fail(LockWriter.lock().pin("winonly", "1.0", List.of(win, mac)), index.indexUrl());
      assertTrue(msg.startsWith("no wheel of winonly==1.0 fits the image's Python (cp311-cp311-manylinux_2_35_x86_64 … "
          + "py3-none-any): index " + index.indexUrl() + " has only cp311-cp311-macosx_11_0_arm64, cp311-cp311-win_amd64"), msg);
    }
  }

  @Test
  void sdistOnlyIsRefused() throws Exception {
    Path sdist = Files.writeString(wheels.resolve("Sdist_Only-1.0.tar.gz"), "not really a tarball");
    try (PythonIndexServer index = PythonIndexServer.serve(wheels, Form.HTML)) {
      String msg = fail(LockWriter.lock().pin("sdist-only", "1.0", List.of(sdist)), index.indexUrl());
      assertTrue(msg.startsWith("sdist-only==1.0 has only a source distribution (Sdist_Only-1.0.tar.gz)"), msg);
      assertTrue(msg.contains("never compiles"), msg);
    }
  }

  @Test
  void versionNotOnTheIndex() throws Exception {
    try (PythonIndexServer index = PythonIndexServer.serve(wheels, Form.JSON)) {
      String msg = fail(LockWriter.lock().raw("greet-util==9.9 --hash=sha256:" + "0".repeat(64)), index.indexUrl());
      assertTrue(msg.startsWith("greet-util==9.9 is not in index " + index.indexUrl() + " (found versions 1.2.0)"), msg);
    }
  }

  @Test
  void malformedLockLines() throws Exception {
    String hash = " --hash=sha256:" + "0".repeat(64);
    assertTrue(fail(LockWriter.lock().raw("requests>=2.0" + hash), "none").contains("'requests>=2.0' is not an exact pin"));
    assertTrue(fail(LockWriter.lock().raw("requests==2.31.0"), "none").contains("requests==2.31.0 has no --hash"));
    assertTrue(fail(LockWriter.lock().raw("-e git+https://example.org/x.git#egg=x"), "none").contains("option '-e'"));
    assertTrue(fail(LockWriter.lock().raw("requests==2.31.0 --hash=md5:abc"), "none").contains("not a sha256 hash"));
    String marker = fail(LockWriter.lock().raw("requests==2.31.0 ; python_versoin > '3'" + hash), "none");
    assertTrue(marker.startsWith("Python lock requirements.lock:7: bad environment marker"), marker);
  }

  @Test
  void unreachableIndex() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closedPort + "/simple/";
    String msg = fail(LockWriter.lock().pin("greet-util", "1.2.0", List.of(wheel("greet_util-"))), url);
    assertTrue(msg.startsWith("cannot reach package index " + url + "greet-util/ (connection refused)"), msg);
  }

  @Test
  void requiresPythonIsChecked() throws Exception {
    Path oldOnly = WheelBuilder.pureModule("oldonly", "1.0").requiresPython("<3.9").writeTo(wheels);
    try (PythonIndexServer index = PythonIndexServer.serve(wheels, Form.JSON)) {
      String msg = fail(LockWriter.lock().pin("oldonly", "1.0", List.of(oldOnly)), index.indexUrl());
      assertTrue(msg.startsWith("oldonly==1.0 requires Python <3.9 but the image has 3.11"), msg);
    }
  }

  @Test
  void missingLockFileSaysHowToCreateIt() {
    PythonSpec spec = PythonSpec.of(tmp.resolve("nope.lock"), cache, work);
    DataHubException e = assertThrows(DataHubException.class,
        () -> new PythonPackages().layers(spec, BaseImageFiles.none(), StepLog.silent()));
    assertTrue(e.getMessage().contains("pip-compile --generate-hashes"), e.getMessage());
  }

  static long wheelsIn(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".whl")).count();
    }
  }
}
