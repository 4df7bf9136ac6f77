package dev.datahub.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.fixtures.ImageRoot;
import dev.datahub.fixtures.LockWriter;
import dev.datahub.fixtures.PythonIndexServer;
import dev.datahub.fixtures.Python3;
import dev.datahub.image.ImageLayer;
import dev.datahub.log.StepLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A wheel built by the real toolchain (Debian's pip wheel), served from a loopback index and run by python3. */
class RealWheelTest {

  static final Path PIP_WHEEL = Path.of("/usr/share/python-wheels/pip-23.0.1-py3-none-any.whl");

  @TempDir Path tmp;

  @Test
  void debiansPipWheelInstallsAndItsConsoleScriptRuns() throws Exception {
    if (!Files.isRegularFile(PIP_WHEEL)) {
      throw new AssertionError("this test installs Debian's pip wheel " + PIP_WHEEL
          + " — install it with 'apt-get install -y python3-pip-whl'");
    }
    Path wheels = Files.createDirectories(tmp.resolve("wheels"));
    Path wheel = Files.copy(PIP_WHEEL, wheels.resolve(PIP_WHEEL.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    Path lock = LockWriter.lock().pin("pip", "23.0.1", List.of(wheel)).writeTo(tmp.resolve("requirements.lock"));
    try (PythonIndexServer index = PythonIndexServer.serve(wheels, PythonIndexServer.Form.HTML)) {
      PythonSpec spec = PythonSpec.of(lock, tmp.resolve("cache"), tmp.resolve("work")).withIndex(index.indexUrl());
      List<ImageLayer> layers = new PythonPackages().layers(spec, BaseImageFiles.none(), StepLog.silent());
      assertEquals(List.of("python: pip 23.0.1"), layers.stream().map(ImageLayer::name).toList());

      Path root = tmp.resolve("root");
      ImageRoot.apply(root, layers);
      Path site = root.resolve("opt/conda/lib/python3.11/site-packages");
      for (String script : List.of("pip", "pip3", "pip3.11")) {
        Path launcher = root.resolve("opt/conda/bin/" + script);
        assertEquals("#!/opt/conda/bin/python", Files.readAllLines(launcher).get(0));
        Python3.Run run = Python3.run(site, launcher.toString(), "--version");
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().startsWith("pip 23.0.1 from " + site.resolve("pip")), run.output());
      }
      Python3.Run check = Python3.run(site, "-c", "import importlib.metadata as m; d = m.distribution('pip'); "
          + "print(d.version, d.read_text('INSTALLER').strip(), all(f.locate().exists() for f in d.files))");
      assertEquals(new Python3.Run(0, "23.0.1 datahub True"), check);
    }
  }
}
