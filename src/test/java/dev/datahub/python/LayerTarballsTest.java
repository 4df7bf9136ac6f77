package dev.datahub.python;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.datahub.fixtures.ImageRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The base image's installed distributions, read from layer tarballs written by GNU tar in three formats. */
class LayerTarballsTest {

  static final String SITE = "/opt/conda/lib/python3.11/site-packages";
  static final String LONG = "a_distribution_with_a_name_long_enough_to_need_gnu_or_pax_long_path_records_in_tar";

  @TempDir Path tmp;

  @Test
  void mergedViewHonoursWhiteoutsOpaqueDirectoriesAndLongNames() throws Exception {
    Path l1 = tmp.resolve("l1");
    dist(l1, "hello", "0.9", "hello/__init__.py,,\nhello-0.9.dist-info/RECORD,,\n");
    dist(l1, "other", "1.0", "other.py,,\n");
    dist(l1, "gone", "2.0", "gone.py,,\n");
    dist(l1, LONG, "3.0", LONG + "/__init__.py,,\n");
    ImageRoot.put(l1, SITE + "/hello/__init__.py", "");
    Path l2 = tmp.resolve("l2");
    ImageRoot.put(l2, SITE + "/.wh.other-1.0.dist-info", "");
    dist(l2, "newer", "1.0", "newer.py,,\n../../../bin/newer,,\n");
    Path l3 = tmp.resolve("l3");
    ImageRoot.put(l3, SITE + "/gone-2.0.dist-info/.wh..wh..opq", "");
    ImageRoot.put(l3, SITE + "/" + LONG + "-3.0.dist-info/INSTALLER", "pip\n");
    dist(l3, LONG + "_ümlaut", "4.0", LONG + "_ümlaut.py,,\n");

    List<Path> layers = List.of(
        tar(l1, "l1.tar.gz", "--format=gnu", "-z"),
        tar(l2, "l2.tar.gz", "--format=ustar", "-z"),
        tar(l3, "l3.tar", "--format=pax"));
    BaseImageFiles base = BaseImageFiles.fromLayers(SITE, layers, 2);

    assertEquals(5, base.layerCount());
    assertEquals(List.of(LONG + " 3.0", LONG + "_ümlaut 4.0", "hello 0.9", "newer 1.0"),
        base.distributions().stream().map(d -> d.name() + " " + d.version()).toList());
    InstalledDistribution hello = base.find("hello").orElseThrow();
    assertEquals(List.of(SITE + "/hello-0.9.dist-info/RECORD", SITE + "/hello/__init__.py"), hello.files());
    assertEquals(SITE + "/hello-0.9.dist-info", hello.distInfoPath());
    assertEquals(List.of("/opt/conda/bin/newer", SITE + "/newer.py"), base.find("newer").orElseThrow().files());
  }

  void dist(Path layerRoot, String name, String version, String record) throws IOException {
    String dir = SITE + "/" + name + "-" + version + ".dist-info";
    ImageRoot.put(layerRoot, dir + "/METADATA", "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n");
    ImageRoot.put(layerRoot, dir + "/RECORD", record);
  }

  Path tar(Path dir, String name, String... options) throws Exception {
    Path tar = Path.of("/usr/bin/tar");
    if (!Files.isExecutable(tar)) {
      throw new AssertionError("GNU tar is needed to write test layers — install it with 'apt-get install -y tar'");
    }
    Path out = tmp.resolve(name);
    List<String> cmd = new java.util.ArrayList<>(List.of(tar.toString(), "-c", "-f", out.toString()));
    cmd.addAll(List.of(options));
    cmd.addAll(List.of("-C", dir.toString(), "."));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError("tar failed: " + output);
    }
    return out;
  }
}
