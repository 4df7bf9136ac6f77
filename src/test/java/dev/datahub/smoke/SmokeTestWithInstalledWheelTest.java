package dev.datahub.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.fixtures.CapturingLog;
import dev.datahub.fixtures.LockWriter;
import dev.datahub.fixtures.PythonRepo;
import dev.datahub.image.ImageLayer;
import dev.datahub.log.Redactor;
import dev.datahub.log.StepLog;
import dev.datahub.python.BaseImageFiles;
import dev.datahub.python.PythonPackages;
import dev.datahub.python.PythonSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Add package X" end to end without a cluster: the plugin's wheel installer puts a locked package
 * into a directory on the real hub's PYTHONPATH (standing in for the image's site-packages), and the
 * smoke test imports it in a kernel and checks the locked version — then the same for a package that
 * is not there, which must fail the way an operator would see it.
 */
class SmokeTestWithInstalledWheelTest extends RealHubTest {

  @Test
  void installedPackageImportsWithItsLockedVersion(@TempDir Path work) throws Exception {
    Path wheels = Files.createDirectories(work.resolve("wheels"));
    Path hello = PythonRepo.hello("3.1.4").writeTo(wheels);
    Path greet = PythonRepo.greetUtil().writeTo(wheels);
    Path lock = LockWriter.lock().pin("hello", "3.1.4", List.of(hello)).pin("greet-util", "1.2.0", List.of(greet))
        .writeTo(work.resolve("requirements.lock"));
    PythonSpec python = new PythonSpec(lock, "none", wheels, null, null, null, null, null, null, null,
        work.resolve("cache"), work.resolve("stage"), 0);
    String sitePackages = python.sitePackages();
    for (ImageLayer layer : new PythonPackages().layers(python, BaseImageFiles.none(), StepLog.silent())) {
      for (ImageLayer.ImageFile file : layer.files()) {
        if (file.pathInImage().startsWith(sitePackages + "/")) {
          Path target = hub.pythonPath().resolve(file.pathInImage().substring(sitePackages.length() + 1));
          Files.createDirectories(target.getParent());
          Files.copy(file.source(), target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }

    SmokeSpec smoke = spec().withImports("hello", "greet_util")
        .withChecks(SmokeCheck.of("locked version", "import hello, importlib.metadata as m; "
            + "print(hello.__version__, m.version('hello'))", "^3\\.1\\.4 3\\.1\\.4$"));
    SmokeResult result = new HubSmokeRun(smoke.withExpectedImage(null, false), new HubToken(hub.token(), "test"),
        new Redactor(), new CapturingLog()).run();
    assertTrue(result.passed(), String.valueOf(result.failure()) + " " + result.checks());

    SmokeResult missing = new HubSmokeRun(spec().withImports("hello_not_installed").withExpectedImage(null, false),
        new HubToken(hub.token(), "test"), new Redactor(), new CapturingLog()).run();
    assertFalse(missing.passed());
    assertTrue(missing.failure().contains("No module named 'hello_not_installed'"), missing.failure());
    assertEquals(List.of(), hub.userNames(), "no test user left");
  }
}
