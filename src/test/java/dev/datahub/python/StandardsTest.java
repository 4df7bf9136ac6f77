package dev.datahub.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.DataHubException;
import dev.datahub.python.LockFile.LockedRequirement;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** PEP 440 versions, PEP 508 markers and requirements, PEP 425 tags and the lock format. */
class StandardsTest {

  static final TargetEnvironment ENV = new TargetEnvironment(PythonSpec.of(Path.of("x.lock"), null, null));

  static boolean in(String version, String spec) {
    return VersionSpecifier.parse(spec).contains(Pep440Version.parse(version));
  }

  @Test
  void pep440Ordering() {
    List<String> ordered = List.of("1.0.dev1", "1.0a1", "1.0a2.dev1", "1.0a2", "1.0b1", "1.0rc1", "1.0", "1.0+local.1",
        "1.0.post1.dev1", "1.0.post1", "1.1", "1!0.5");
    for (int i = 0; i + 1 < ordered.size(); i++) {
      Pep440Version a = Pep440Version.parse(ordered.get(i));
      Pep440Version b = Pep440Version.parse(ordered.get(i + 1));
      assertTrue(a.compareTo(b) < 0, a + " < " + b);
    }
    assertEquals(Pep440Version.parse("1.0"), Pep440Version.parse("1.0.0"));
    assertEquals(Pep440Version.parse("1.0.0").hashCode(), Pep440Version.parse("1.0").hashCode());
    assertEquals("1.0rc1", Pep440Version.parse("1.0-RC.1").toString());
    assertEquals("2.0.post3", Pep440Version.parse("2.0-3").toString());
    assertTrue(Pep440Version.tryParse("not.a.version!").isEmpty());
  }

  @Test
  void specifiers() {
    assertTrue(in("2.31.0", ">=2.0,<3"));
    assertFalse(in("3.0", ">=2.0,<3"));
    assertTrue(in("1.4.5", "~=1.4.2"));
    assertFalse(in("1.5.0", "~=1.4.2"));
    assertTrue(in("1.9", "~=1.4"));
    assertTrue(in("1.2.7", "==1.2.*"));
    assertFalse(in("1.3", "==1.2.*"));
    assertFalse(in("1.2.0", "!=1.2.*"));
    assertTrue(in("1.0+cpu", "==1.0"));
    assertFalse(in("3.0rc1", "<3.0"), "a pre-release of 3.0 is not < 3.0");
    assertFalse(in("1.0.post1", ">1.0"), "a post-release of 1.0 is not > 1.0");
    assertTrue(in("1.1", ">1.0"));
    assertTrue(in("1.0", "===1.0"));
    assertTrue(VersionSpecifier.parse("").contains(Pep440Version.parse("0.1")));
    assertThrows(IllegalArgumentException.class, () -> VersionSpecifier.parse(">=1.*"));
  }

  @Test
  void markers() {
    assertTrue(Marker.parse("python_version >= \"3.8\" and sys_platform == 'linux'").evaluate(ENV, ""));
    assertFalse(Marker.parse("python_version < '3.10'").evaluate(ENV, ""));
    assertTrue(Marker.parse("python_version > '3.9'").evaluate(ENV, ""), "3.11 > 3.9 as versions, not strings");
    assertTrue(Marker.parse("python_full_version >= '3.11.0'").evaluate(ENV, ""));
    assertTrue(Marker.parse("(os_name == 'nt' or platform_machine == 'x86_64') and implementation_name == 'cpython'")
        .evaluate(ENV, ""));
    assertFalse(Marker.parse("platform_system == 'Windows' or platform_system == 'Darwin'").evaluate(ENV, ""));
    assertTrue(Marker.parse("'linux' in sys_platform").evaluate(ENV, ""));
    assertTrue(Marker.parse("platform_python_implementation != 'PyPy'").evaluate(ENV, ""));
    Marker extra = Marker.parse("extra == 'Test_Suite' and python_version >= '3'");
    assertFalse(extra.evaluate(ENV, ""));
    assertTrue(extra.evaluateAny(ENV, Set.of("test-suite")), "extras compare normalized");
    assertThrows(IllegalArgumentException.class, () -> Marker.parse("python_version >="));
    assertThrows(IllegalArgumentException.class, () -> Marker.parse("(python_version > '3'"));
  }

  @Test
  void requirements() {
    Requirement r = Requirement.parse("Typing_Extensions[a,B] >=4.0 ; python_version < '3.12'");
    assertEquals("typing-extensions", r.normalizedName());
    assertEquals(Set.of("a", "b"), r.extras());
    assertTrue(r.specifier().contains(Pep440Version.parse("4.5")));
    assertTrue(r.appliesTo(ENV, Set.of()));
    assertEquals(">=1.0,<2", Requirement.parse("six (>=1.0,<2)").specifier().toString());
    assertTrue(Requirement.parse("pkg @ https://example.org/pkg.whl").specifier().isAny());
    assertFalse(Requirement.parse("pywin32>=1.0; sys_platform == 'win32'").appliesTo(ENV, Set.of()));
  }

  @Test
  void tagsAreOrderedMostSpecificFirst() {
    List<WheelTag> tags = ENV.supportedTags();
    assertEquals("cp311-cp311-manylinux_2_35_x86_64", tags.get(0).toString());
    assertEquals("py30-none-any", tags.get(tags.size() - 1).toString(), "the least specific tag is last");
    assertTrue(tags.indexOf(new WheelTag("cp311", "none", "any")) < tags.indexOf(new WheelTag("py3", "none", "any")));
    int manylinux2014 = ENV.rank(WheelFileName.parse("x-1-cp311-cp311-manylinux2014_x86_64.whl").orElseThrow());
    int abi3 = ENV.rank(WheelFileName.parse("x-1-cp38-abi3-manylinux_2_17_x86_64.whl").orElseThrow());
    int pure = ENV.rank(WheelFileName.parse("x-1-py3-none-any.whl").orElseThrow());
    int linux = ENV.rank(WheelFileName.parse("x-1-cp311-cp311-linux_x86_64.whl").orElseThrow());
    assertTrue(manylinux2014 >= 0 && manylinux2014 < linux && linux < abi3 && abi3 < pure,
        manylinux2014 + " " + linux + " " + abi3 + " " + pure);
    assertEquals(-1, ENV.rank(WheelFileName.parse("x-1-cp311-cp311-manylinux_2_39_x86_64.whl").orElseThrow()),
        "needs a newer glibc than the image");
    assertEquals(-1, ENV.rank(WheelFileName.parse("x-1-cp312-cp312-manylinux_2_17_x86_64.whl").orElseThrow()));
    assertEquals(-1, ENV.rank(WheelFileName.parse("x-1-cp311-cp311-manylinux_2_17_aarch64.whl").orElseThrow()));
    assertTrue(ENV.rank(WheelFileName.parse("six-1.16.0-py2.py3-none-any.whl").orElseThrow()) >= 0, "compressed tag set");
    WheelFileName built = WheelFileName.parse("pkg-1.0-2b-py3-none-any.whl").orElseThrow();
    assertEquals(2, built.buildNumber());
  }

  @Test
  void lockFormatOfPipCompileAndUv() {
    String text = """
        # This file was autogenerated by uv via the following command:
        #    uv pip compile --generate-hashes requirements.in
        --index-url https://pypi.org/simple/

        certifi==2024.2.2 \\
            --hash=sha256:0569859f95fc761b18b45ef421b1290a0f65f147e92a1e5eb3e635f9a5e4e66f \\
            --hash=sha256:dc383c07b76109f368f6106eee2b593b04a011ea4d55f652c6ca24a754d1cdd1
            # via requests
        Requests[socks] == 2.31.0 ; python_version >= "3.7" \\
            --hash=sha256:58cd2187c01e70e6e26505bca751777aa9f2ee0b7f4300988b709f44e013003f
            # via -r requirements.in
        colorama==0.4.6 ; sys_platform == 'win32' --hash=sha256:08695f5cb7ed6e0531a20572697297273c47b8cae5a63ffc6d6ed5c201be6e44  # via click
        """;
    List<LockedRequirement> reqs = LockFile.parse(Path.of("requirements.lock"), text).requirements();
    assertEquals(3, reqs.size());
    assertEquals("certifi", reqs.get(0).name());
    assertEquals(2, reqs.get(0).hashes().size());
    assertEquals(5, reqs.get(0).line());
    assertEquals("requests", reqs.get(1).normalizedName());
    assertEquals(Set.of("socks"), reqs.get(1).extras());
    assertEquals("2.31.0", reqs.get(1).version());
    assertTrue(reqs.get(1).marker().evaluate(ENV, ""));
    assertFalse(reqs.get(2).marker().evaluate(ENV, ""));
    DataHubException e = assertThrows(DataHubException.class,
        () -> LockFile.parse(Path.of("r.lock"), "\nnumpy==1.*  --hash=sha256:" + "a".repeat(64) + "\n"));
    assertTrue(e.getMessage().startsWith("Python lock r.lock:2: '1.*' is not an exact PEP 440 version for numpy"),
        e.getMessage());
  }

  @Test
  void simpleIndexPagesAsPypiWritesThem() {
    SimpleIndex index = new SimpleIndex("https://pypi.org/simple");
    java.net.URI page = java.net.URI.create("https://pypi.org/simple/six/");
    List<IndexFile> html = index.parseHtml(page, """
        <!DOCTYPE html><html><head><meta name="pypi:repository-version" content="1.1"></head><body>
        <a href="https://files.pythonhosted.org/packages/d9/5a/six-1.16.0-py2.py3-none-any.whl#sha256=8ABC"         data-requires-python="&gt;=2.7, !=3.0.*">six-1.16.0-py2.py3-none-any.whl</a><br />
        <a href="../../packages/six-1.16.0.tar.gz?x=1&amp;y=2" data-yanked="">six-1.16.0.tar.gz</a>
        </body></html>""");
    assertEquals(2, html.size());
    assertEquals("six-1.16.0-py2.py3-none-any.whl", html.get(0).fileName());
    assertEquals("8abc", html.get(0).sha256());
    assertEquals("https://files.pythonhosted.org/packages/d9/5a/six-1.16.0-py2.py3-none-any.whl", html.get(0).url().toString());
    assertEquals("https://pypi.org/packages/six-1.16.0.tar.gz?x=1&y=2", html.get(1).url().toString());
    assertEquals(null, html.get(1).sha256());
    assertTrue(html.get(1).isSdistOf("six", Pep440Version.parse("1.16")));

    List<IndexFile> json = index.parseJson(page, """
        {"meta":{"api-version":"1.1"},"name":"six","files":[{"filename":"six-1.16.0-py2.py3-none-any.whl",
        "url":"https://files.pythonhosted.org/packages/six-1.16.0-py2.py3-none-any.whl#sha256=abc",
        "hashes":{"sha256":"ABC"},"requires-python":">=2.7","yanked":false}]}""");
    assertEquals("abc", json.get(0).sha256());
    assertEquals("https://files.pythonhosted.org/packages/six-1.16.0-py2.py3-none-any.whl", json.get(0).url().toString());
  }

  @Test
  void recordPathsOfScriptsAreRelativeToSitePackages() {
    WheelInstaller installer = new WheelInstaller(PythonSpec.of(Path.of("x.lock"), null, null));
    assertEquals("../../../bin/tool", installer.relativeToSitePackages("/opt/conda/bin/tool"));
    assertEquals("pkg/__init__.py",
        installer.relativeToSitePackages("/opt/conda/lib/python3.11/site-packages/pkg/__init__.py"));
    assertEquals("/opt/conda/bin/tool",
        InstalledDistribution.resolve("/opt/conda/lib/python3.11/site-packages", "../../../bin/tool"));
  }

  @Test
  void metadataWhoseLastHeaderIsVersionKeepsIt() {
    WheelMetadata m = WheelMetadata.parse("Metadata-Version: 2.1\nName: itpkg\nVersion: 1.0\n");
    org.junit.jupiter.api.Assertions.assertEquals("itpkg", m.name());
    org.junit.jupiter.api.Assertions.assertEquals("1.0", m.version());
  }
}
