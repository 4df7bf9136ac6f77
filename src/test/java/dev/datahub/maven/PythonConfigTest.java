package dev.datahub.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.DataHubException;
import dev.datahub.python.PythonSpec;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PythonConfigTest {

  @Test
  void defaultsFitDockerStacks() {
    PythonConfig c = new PythonConfig();
    assertFalse(c.isEnabled());
    c.requirements = new File("requirements.lock");
    PythonSpec spec = c.toSpec(Path.of("/project"), Path.of("/project/target/datahub/python"));
    assertEquals(Path.of("/project/requirements.lock"), spec.requirements());
    assertEquals("https://pypi.org/simple/", spec.index());
    assertEquals("3.11", spec.pythonVersion());
    assertEquals("cp311", spec.abi());
    assertEquals(List.of("manylinux_2_35_x86_64", "linux_x86_64"), spec.platforms());
    assertEquals("/opt/conda/lib/python3.11/site-packages", spec.sitePackages());
    assertEquals("/opt/conda/bin", spec.scriptsDir());
    assertEquals("/opt/conda/bin/python", spec.pythonExecutable());
    assertEquals("/opt/conda", spec.prefix());
    assertEquals(60, spec.maxLayers());
    assertTrue(spec.cacheDir().endsWith(Path.of(".cache", "datahub", "wheels")));
  }

  @Test
  void everyFieldMapsAndRelativePathsResolveAgainstTheProject() {
    PythonConfig c = new PythonConfig();
    c.requirements = new File("py/requirements.lock");
    c.index = "https://mirror.example.org/simple";
    c.findLinks = new File("wheels");
    c.pythonVersion = "3.12.4";
    c.platforms = List.of("manylinux_2_39_aarch64");
    c.sitePackages = "/usr/local/lib/python3.12/site-packages/";
    c.scriptsDir = "/usr/local/bin";
    c.providedByBase = List.of("NumPy", "jupyter_core");
    c.maxLayers = 20;
    c.cacheDir = new File("/var/cache/wheels");
    PythonSpec spec = c.toSpec(Path.of("/p"), Path.of("/p/target/datahub/python"));
    assertEquals(Path.of("/p/py/requirements.lock"), spec.requirements());
    assertEquals(Path.of("/p/wheels"), spec.findLinks());
    assertEquals("cp312", spec.abi());
    assertEquals("/usr/local/lib/python3.12/site-packages", spec.sitePackages());
    assertEquals("/usr/local/bin/python", spec.pythonExecutable());
    assertEquals(Set.of("numpy", "jupyter-core"), spec.providedByBase());
    assertEquals(20, spec.maxLayers());
    assertEquals(Path.of("/var/cache/wheels"), spec.cacheDir());
  }

  @Test
  void badValuesAreOneLineErrors() {
    PythonConfig c = new PythonConfig();
    assertThrows(DataHubException.class, () -> c.toSpec(Path.of("/p"), Path.of("/w")));
    c.requirements = new File("r.lock");
    c.pythonVersion = "three";
    DataHubException e = assertThrows(DataHubException.class, () -> c.toSpec(Path.of("/p"), Path.of("/w")));
    assertTrue(e.getMessage().startsWith("invalid <python> configuration: pythonVersion must look like 3.11"), e.getMessage());
  }
}
