package dev.datahub.maven;

import dev.datahub.python.PythonSpec;
import java.io.File;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The {@code <python>} block of the image configuration. Plain fields for Maven to inject; every
 * field is optional except {@code requirements}. Unset interpreter settings (version, ABI, platforms,
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
  private File requirements;

  /** PEP 503/691 simple index URL; {@code none} to use only {@code findLinks}. */
  private String index;

  /** A local directory of wheels, searched before the index. */
  private File findLinks;

  private String pythonVersion;
  private String abi;
  private List<String> platforms;
  private String sitePackages;
  private String scriptsDir;
  private String pythonExecutable;

  /** Package names the base image provides: they satisfy dependencies and are never installed. */
  private List<String> providedByBase;

  private Integer maxLayers;

  /** Wheel cache; default {@code ~/.cache/datahub/wheels}. */
  private File cacheDir;

  /** True when a lock file is configured, i.e. the block is in use. */
  public boolean isEnabled() {
    return requirements != null;
  }

  /**
   * The core spec. Relative paths resolve against {@code basedir}; layer contents are staged under
   * {@code workDir} (e.g. {@code target/datahub/python}); the directory belongs to this step:
   * anything in it that the current build does not use is deleted.
   */
  public PythonSpec toSpec(Path basedir, Path workDir) {
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

  public File getRequirements() {
    return requirements;
  }

  public void setRequirements(File requirements) {
    this.requirements = requirements;
  }

  public String getIndex() {
    return index;
  }

  public void setIndex(String index) {
    this.index = index;
  }

  public File getFindLinks() {
    return findLinks;
  }

  public void setFindLinks(File findLinks) {
    this.findLinks = findLinks;
  }

  public String getPythonVersion() {
    return pythonVersion;
  }

  public void setPythonVersion(String pythonVersion) {
    this.pythonVersion = pythonVersion;
  }

  public String getAbi() {
    return abi;
  }

  public void setAbi(String abi) {
    this.abi = abi;
  }

  public List<String> getPlatforms() {
    return platforms;
  }

  public void setPlatforms(List<String> platforms) {
    this.platforms = platforms;
  }

  public String getSitePackages() {
    return sitePackages;
  }

  public void setSitePackages(String sitePackages) {
    this.sitePackages = sitePackages;
  }

  public String getScriptsDir() {
    return scriptsDir;
  }

  public void setScriptsDir(String scriptsDir) {
    this.scriptsDir = scriptsDir;
  }

  public String getPythonExecutable() {
    return pythonExecutable;
  }

  public void setPythonExecutable(String pythonExecutable) {
    this.pythonExecutable = pythonExecutable;
  }

  public List<String> getProvidedByBase() {
    return providedByBase;
  }

  public void setProvidedByBase(List<String> providedByBase) {
    this.providedByBase = providedByBase;
  }

  public Integer getMaxLayers() {
    return maxLayers;
  }

  public void setMaxLayers(Integer maxLayers) {
    this.maxLayers = maxLayers;
  }

  public File getCacheDir() {
    return cacheDir;
  }

  public void setCacheDir(File cacheDir) {
    this.cacheDir = cacheDir;
  }
}
