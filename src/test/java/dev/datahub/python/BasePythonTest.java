package dev.datahub.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.DataHubException;
import dev.datahub.image.BaseImageLayers;
import dev.datahub.image.BaseImageLayers.Directory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Reading the base image's Python layout from what its layers hold (no registry: the scan result by hand). */
class BasePythonTest {

  private static final Directory ROOT = new Directory(0755, "0:0");
  private static final Directory STAFF = new Directory(02775, "0:50");

  static PythonSpec defaults() {
    return PythonSpec.of(Path.of("requirements.lock"), Path.of("cache"), Path.of("work"));
  }

  /** What bookworm's python3 has, as the scan sees it. */
  static BaseImageLayers.Contents debian() {
    Map<String, Directory> dirs = new TreeMap<>();
    for (String d : List.of("/usr", "/usr/bin", "/usr/lib", "/usr/lib/python3", "/usr/lib/python3/dist-packages",
        "/usr/lib/python3.11", "/usr/local", "/usr/local/bin", "/usr/local/lib")) {
      dirs.put(d, ROOT);
    }
    dirs.put("/usr/local/lib/python3.11", STAFF);
    dirs.put("/usr/local/lib/python3.11/dist-packages", STAFF);
    return new BaseImageLayers.Contents(
        Map.of("/usr/lib/x86_64-linux-gnu/libc.so.6", "2.36",
            "/usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO", "Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\n"),
        dirs,
        Map.of("/usr/bin/python3", "python3.11", "/usr/lib/x86_64-linux-gnu/libc.so.6", ""));
  }

  /** What a docker-stacks (Ubuntu 22.04, conda Python 3.11) image has. */
  static BaseImageLayers.Contents conda() {
    Map<String, Directory> dirs = new TreeMap<>();
    dirs.put("/opt/conda", new Directory(06775, "1000:100"));
    dirs.put("/opt/conda/bin", new Directory(06775, "1000:100"));
    dirs.put("/opt/conda/lib/python3.11", new Directory(06775, "1000:100"));
    dirs.put("/opt/conda/lib/python3.11/site-packages", new Directory(06775, "1000:100"));
    return new BaseImageLayers.Contents(Map.of("/usr/lib/x86_64-linux-gnu/libc.so.6", "2.35"), dirs,
        Map.of("/opt/conda/bin/python", "python3.11", "/opt/conda/bin/python3.11", "",
            "/usr/lib/x86_64-linux-gnu/libc.so.6", ""));
  }

  @Test
  void debianPython3InstallsIntoUsrLocalDistPackagesForItsGlibc() {
    BasePython found = BasePython.detect(debian(), defaults(), "debian");
    assertEquals("/usr/bin/python3", found.executable());
    assertEquals("3.11", found.version());
    assertEquals(List.of("/usr/local/lib/python3.11/dist-packages", "/usr/lib/python3/dist-packages"), found.siteDirs());
    assertEquals("/usr/local/bin", found.scriptsDir());
    assertEquals("2.36", found.glibc());

    PythonSpec spec = found.applyTo(defaults(), debian(), "debian");
    assertEquals("/usr/local/lib/python3.11/dist-packages", spec.sitePackages());
    assertEquals("/usr/local/bin", spec.scriptsDir());
    assertEquals("/usr/bin/python3", spec.pythonExecutable(), "shebangs name the base's interpreter");
    assertEquals("/usr/local", spec.prefix());
    assertEquals(List.of("manylinux_2_36_x86_64", "linux_x86_64"), spec.platforms());
    assertEquals("cp311", spec.abi());
  }

  @Test
  void dockerStacksCondaKeepsTodaysDefaults() {
    PythonSpec today = defaults();
    PythonSpec spec = BasePython.detect(conda(), today, "stacks").applyTo(today, conda(), "stacks");
    assertEquals(today.sitePackages(), spec.sitePackages());
    assertEquals(today.scriptsDir(), spec.scriptsDir());
    assertEquals(today.pythonExecutable(), spec.pythonExecutable());
    assertEquals(today.pythonVersion(), spec.pythonVersion());
    assertEquals(today.abi(), spec.abi());
    assertEquals(today.platforms(), spec.platforms(), "Ubuntu 22.04's glibc 2.35 is today's default tag");
    assertEquals(today.explicit(), spec.explicit(), "base values do not count as set by the user");
  }

  @Test
  void explicitSettingsWinWhenTheBaseHasThem() {
    PythonSpec given = new PythonSpec(Path.of("r.lock"), null, null, "3.11", null, List.of("manylinux_2_17_x86_64"),
        "/usr/lib/python3/dist-packages", null, null, null, null, null, 0);
    PythonSpec spec = BasePython.detect(debian(), given, "debian").applyTo(given, debian(), "debian");
    assertEquals("/usr/lib/python3/dist-packages", spec.sitePackages());
    assertEquals(List.of("manylinux_2_17_x86_64"), spec.platforms());
    assertEquals("/usr/local/bin", spec.scriptsDir(), "what was not set comes from the base");
  }

  @Test
  void anExplicitPathTheBaseLacksFailsInOneLineNamingWhatItHas() {
    PythonSpec condaPaths = new PythonSpec(Path.of("r.lock"), null, null, null, null, null,
        "/opt/conda/lib/python3.11/site-packages", null, null, null, null, null, 0);
    DataHubException e = assertThrows(DataHubException.class,
        () -> BasePython.detect(debian(), condaPaths, "registry/debian:12").applyTo(condaPaths, debian(), "registry/debian:12"));
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    for (String part : List.of("<sitePackages> /opt/conda/lib/python3.11/site-packages", "registry/debian:12",
        "/usr/bin/python3", "/usr/local/lib/python3.11/dist-packages", "/usr/lib/python3/dist-packages", " — ")) {
      assertTrue(e.getMessage().contains(part), part + " in: " + e.getMessage());
    }

    PythonSpec condaPython = new PythonSpec(Path.of("r.lock"), null, null, null, null, null, null, null,
        "/opt/conda/bin/python", null, null, null, 0);
    DataHubException python = assertThrows(DataHubException.class,
        () -> BasePython.detect(debian(), condaPython, "debian").applyTo(condaPython, debian(), "debian"));
    assertTrue(python.getMessage().startsWith("<pythonExecutable> /opt/conda/bin/python is not in base image debian — it has"
        + " /usr/bin/python3"), python.getMessage());

    PythonSpec otherVersion = new PythonSpec(Path.of("r.lock"), null, null, "3.12", null, null, null, null, null, null,
        null, null, 0);
    assertTrue(assertThrows(DataHubException.class,
        () -> BasePython.detect(debian(), otherVersion, "debian").applyTo(otherVersion, debian(), "debian"))
        .getMessage().contains("Python 3.11"));

    PythonSpec scripts = new PythonSpec(Path.of("r.lock"), null, null, null, null, null, null, "/opt/conda/bin", null,
        null, null, null, 0);
    assertTrue(assertThrows(DataHubException.class,
        () -> BasePython.detect(debian(), scripts, "debian").applyTo(scripts, debian(), "debian"))
        .getMessage().startsWith("<scriptsDir> /opt/conda/bin is not in base image debian"));
  }

  @Test
  void aBaseWithoutPythonFailsInOneLine() {
    BaseImageLayers.Contents none = new BaseImageLayers.Contents(Map.of(), Map.of("/usr", ROOT), Map.of());
    DataHubException e = assertThrows(DataHubException.class, () -> BasePython.detect(none, defaults(), "alpine"));
    assertTrue(e.getMessage().startsWith("base image alpine has no Python interpreter at /opt/conda/bin/python"),
        e.getMessage());
  }

  @Test
  void glibcVersionFromLibcItselfOrItsFileName() {
    byte[] bookworm = ("\u007fELF\0\0junk\0GLIBC_2.2.5\0GLIBC_2.34\0GNU C Library (Debian GLIBC 2.36-9+deb12u4) stable "
        + "release version 2.36.\nCopyright").getBytes(StandardCharsets.ISO_8859_1);
    assertEquals("2.36", BasePython.keep("/usr/lib/x86_64-linux-gnu/libc.so.6", bookworm));
    byte[] symbolsOnly = "\0GLIBC_2.17\0GLIBC_2.28\0GLIBC_2.3\0".getBytes(StandardCharsets.ISO_8859_1);
    assertEquals("2.28", BasePython.keep("/lib/aarch64-linux-gnu/libc.so.6", symbolsOnly));
    assertEquals("text", BasePython.keep("/usr/lib/python3/dist-packages/x.egg-info", "text".getBytes()));

    // focal: libc.so.6 -> libc-2.31.so
    BaseImageLayers.Contents focal = new BaseImageLayers.Contents(Map.of(), Map.of("/usr/lib/python3/dist-packages", ROOT,
        "/usr/lib/python3.8", ROOT), Map.of("/usr/bin/python3", "python3.8", "/lib/x86_64-linux-gnu/libc.so.6", "libc-2.31.so"));
    BasePython found = BasePython.detect(focal, defaults(), "focal");
    assertEquals("2.31", found.glibc());
    assertEquals("3.8", found.version());
    BaseImageLayers.Contents musl = new BaseImageLayers.Contents(Map.of(), Map.of("/usr/local/lib/python3.12", ROOT),
        Map.of("/usr/local/bin/python3", "python3.12"));
    BasePython alpine = BasePython.detect(musl, defaults(), "alpine");
    assertNull(alpine.glibc());
    assertEquals(List.of("/usr/local/lib/python3.12/site-packages"), alpine.siteDirs());
    assertEquals(PythonSpec.DEFAULT_PLATFORMS, alpine.applyTo(defaults(), musl, "alpine").platforms(),
        "no glibc found: the platform default stays");
  }

  @Test
  void eggInfoDistributionsAreSeenBehindTheTarget() {
    Map<String, String> files = new TreeMap<>();
    files.put("/usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO", "Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\n");
    files.put("/usr/lib/python3/dist-packages/six-1.16.0.egg-info/installed-files.txt", "../six.py\nPKG-INFO\n");
    files.put("/usr/lib/python3/dist-packages/chardet-5.1.0.egg-info", "Metadata-Version: 1.1\nName: chardet\nVersion: 5.1.0\n");
    files.put("/usr/lib/python3/dist-packages/attrs-22.2.0.dist-info/METADATA", "Name: attrs\nVersion: 22.2.0\n");
    files.put("/usr/local/lib/python3.11/dist-packages/six-1.17.0.dist-info/METADATA", "Name: six\nVersion: 1.17.0\n");
    BaseImageFiles base = BaseImageFiles.fromSitePackages(
        List.of("/usr/local/lib/python3.11/dist-packages", "/usr/lib/python3/dist-packages"), 3, files);
    assertEquals("1.17.0", base.find("six").orElseThrow().version(), "the first on sys.path wins");
    assertEquals("5.1.0", base.find("chardet").orElseThrow().version(), "single-file egg-info");
    assertEquals("22.2.0", base.find("attrs").orElseThrow().version());
    InstalledDistribution six = InstalledDistribution.fromEggInfo("/usr/lib/python3/dist-packages/six-1.16.0.egg-info",
        files.get("/usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO"), "../six.py\nPKG-INFO\n");
    assertEquals(List.of("/usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO", "/usr/lib/python3/dist-packages/six.py"),
        six.files());
    assertEquals("/usr/lib/python3/dist-packages", six.sitePackages());
    assertEquals("python-dateutil", InstalledDistribution.fromEggInfo("/x/python_dateutil-2.8.2.egg-info", null, null).name());
  }
}
