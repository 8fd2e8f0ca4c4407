package herald;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layer rules of docs/architecture.md, checked on the compiled main classes: arrows only point
 * down. {@code platform} knows no domain; the simulators know nothing of Herald but their own
 * config, so they can never prove a client right by sharing its code; no two packages depend on
 * each other, however indirectly.
 */
class ArchitectureTest {
  private static JavaClasses herald;

  @BeforeAll
  static void importMainClasses() {
    herald =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("herald");
  }

  @Test
  void platformDependsOnNoDomain() {
    noClasses()
        .that()
        .resideInAPackage("herald.platform..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("herald..").and(not(resideInAPackage("herald.platform.."))))
        .because("platform is the bottom layer: the domains use it, never the other way round")
        .check(herald);
  }

  @Test
  void simulatorsDependOnNothingOfHeraldButTheirConfig() {
    noClasses()
        .that()
        .resideInAPackage("herald.sim..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("herald..")
                .and(not(resideInAPackage("herald.sim..")))
                .and(not(resideInAPackage("herald.platform.config.."))))
        .because("a simulator that reuses product code cannot catch that code's mistakes")
        .check(herald);
  }

  @Test
  void domainsDoNotReachUpToTheCompositionRoot() {
    noClasses()
        .that()
        .resideInAPackage("herald.*..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("herald")
        .because(
            "Main, Herald and the API router assemble the domains; the domains do not know them")
        .check(herald);
  }

  @Test
  void packagesAreFreeOfCycles() {
    slices().matching("herald.(**)").should().beFreeOfCycles().check(herald);
  }
}
