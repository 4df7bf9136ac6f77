package dev.datahub.maven;

import dev.datahub.python.PythonSpec;
import java.io.File;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The {@code <python>} block of the image configuration. Plain fields, as in {@link ImageConfig}: Maven sets them
 * directly. Every field is optional except {@code requirements}. Unset interpreter settings (version, ABI, platforms,
 * site-packages, scripts directory, executable) are read from the base image by the build; set ones
 * are checked against it (docs/python-packages.md).
 *
 * <pre>{@code
 * <python>
 *   <requirements>requirements.lock</requirements>
 *   <index>https://pypi.org/simple/</index>
 *   <findLinks>wheels</findLinks>
 *   <pythonVersion>3.11</pythonVersion>
 *   <abi>cp311</abi>
 *   <platforms><platform>manylinux_2_35_x86_64</platform><platform>linux_x86_64</platform></platforms>
 *   <sitePackages>/opt/conda/lib/python3.11/site-packages</sitePackages>
 *   <scriptsDir>/opt/conda/bin</scriptsDir>
 *   <pythonExecutable>/opt/conda/bin/python</pythonExecutable>
 *   <providedByBase><name>numpy</name></providedByBase>
 *   <maxLayers>60</maxLayers>
 * </python>
 * }</pre>
 */
public class PythonConfig {

  /** The lock file: {@code name==version} lines with {@code --hash=sha256:…}, relative to the project. */
  File requirements;

  /** PEP 503/691 simple index URL; {@code none} to use only {@code findLinks}. */
  String index;

  /** A local directory of wheels, searched before the index. */
  File findLinks;

  String pythonVersion;
  String abi;
  List<String> platforms;
  String sitePackages;
  String scriptsDir;
  String pythonExecutable;

  /** Package names the base image provides: they satisfy dependencies and are never installed. */
  List<String> providedByBase;

  Integer maxLayers;

  /** Wheel cache; default {@code ~/.cache/datahub/wheels}. */
  File cacheDir;

  /** True when a lock file is configured, i.e. the block is in use. */
  boolean isEnabled() {
    return requirements != null;
  }

  /**
   * The core spec. Relative paths resolve against {@code basedir}; layer contents are staged under
   * {@code workDir} (e.g. {@code target/datahub/python}); the directory belongs to this step:
   * anything in it that the current build does not use is deleted.
   */
  PythonSpec toSpec(Path basedir, Path workDir) {
    if (requirements == null) {
      throw new dev.datahub.DataHubException("<python> needs <requirements>: the path of a hashed lock file "
          + "(e.g. requirements.lock from 'pip-compile --generate-hashes')");
    }
    try {
      return new PythonSpec(
        resolve(basedir, requirements),
        index,
        findLinks == null ? null : resolve(basedir, findLinks),
        pythonVersion,
        abi,
        platforms,
        sitePackages,
        scriptsDir,
        pythonExecutable,
        providedByBase == null ? null : new LinkedHashSet<>(providedByBase),
        cacheDir == null ? null : resolve(basedir, cacheDir),
        workDir,
        maxLayers == null ? 0 : maxLayers);
    } catch (IllegalArgumentException e) {
      throw new dev.datahub.DataHubException("invalid <python> configuration: " + e.getMessage()
          + " — fix the <python> block of the image configuration");
    }
  }

  private static Path resolve(Path basedir, File f) {
    Path p = f.toPath();
    return p.isAbsolute() || basedir == null ? p : basedir.resolve(p);
  }
}
