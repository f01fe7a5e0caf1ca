// swift-tools-version:6.1
import PackageDescription

// Targets depend one way only (see DESIGN.md §1):
//   CGLPK → MILP ─┐
//   FleetModel ───┴→ FleetPlanner → FleetSimulator → FleetReport → fleetplan (CLI)
// MILP knows nothing about fleets; FleetModel knows nothing about solvers.
let package = Package(
    name: "fleetplan",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "fleetplan", targets: ["fleetplan"]),
        .library(name: "MILP", targets: ["MILP"]),
        .library(name: "FleetModel", targets: ["FleetModel"]),
        .library(name: "FleetPlanner", targets: ["FleetPlanner"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // GLPK's C API plus a small setjmp/longjmp guard against glp_error → abort().
        // Debian ships no glpk.pc, so link by name.
        .target(
            name: "CGLPK",
            linkerSettings: [.linkedLibrary("glpk")]
        ),
        .target(name: "MILP", dependencies: ["CGLPK"]),
        // Times building and solving large LP / MILP models (run in release).
        .executableTarget(name: "milp-bench", dependencies: ["MILP"]),
        .target(name: "FleetModel", dependencies: [.product(name: "Yams", package: "Yams")]),
        .target(name: "FleetPlanner", dependencies: ["MILP", "FleetModel", .product(name: "Yams", package: "Yams")]),
        .target(name: "FleetSimulator", dependencies: ["FleetModel", "FleetPlanner"]),
        .target(name: "FleetReport", dependencies: ["FleetModel", "FleetPlanner", "FleetSimulator"]),
        .executableTarget(
            name: "fleetplan",
            dependencies: [
                "FleetModel", "FleetPlanner", "FleetSimulator", "FleetReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmark, not a test: strategy timings for the planner on the full catalog.
        .executableTarget(name: "fleetplan-bench", dependencies: ["FleetPlanner", "FleetModel", "MILP"]),
        .testTarget(name: "MILPTests", dependencies: ["MILP"]),
        .testTarget(name: "FleetModelTests", dependencies: ["FleetModel"]),
        .testTarget(name: "FleetPlannerTests", dependencies: ["FleetPlanner", "MILP", "FleetModel"]),
        .testTarget(name: "FleetSimulatorTests", dependencies: ["FleetSimulator", "FleetPlanner", "FleetModel"],
                   resources: [.copy("Fixtures")]),
        .testTarget(name: "fleetplanTests", dependencies: ["fleetplan"]),
        .testTarget(name: "FleetReportTests", dependencies: ["FleetReport"]),
    ],
    swiftLanguageModes: [.v6]
)
