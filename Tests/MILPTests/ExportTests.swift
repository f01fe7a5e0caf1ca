import Foundation
import Testing
@testable import MILP

/// Models exported as CPLEX LP and free MPS, read back by GLPK, have the same optimum.
struct ExportTests {
    /// A small production-planning MILP touching every feature the writers must carry: integer
    /// and binary variables, free and bounded variables, ≤ / ≥ / = / range rows, an objective
    /// constant, and names that need sanitising.
    static func plantModel() -> (Model, objective: LinearExpression) {
        var model = Model(name: "plant plan")
        let units = (0..<4).map { model.addVariable("N p\($0)", kind: .integer, upperBound: 12) }
        let open = (0..<4).map { model.addVariable("open[\($0)]", kind: .binary) }
        let load = (0..<4).map { model.addVariable("load-\($0)", upperBound: 500) }
        let balance = model.addVariable("balance", lowerBound: -.infinity)
        let capacity: [Double] = [40, 55, 70, 90]
        let unitCost: [Double] = [30, 38, 45, 55]
        let fixedCost: [Double] = [100, 80, 120, 60]
        model.addConstraint("demand", load.sum() == 260)
        for p in 0..<4 {
            model.addConstraint("capacity p\(p)", load[p] - capacity[p] * units[p] <= 0)
            model.addConstraint("open p\(p)", units[p] - 12 * open[p] <= 0)
        }
        model.addConstraint("pools", open.sum(), in: 1...3)
        model.addConstraint("st", balance - load[0] + load[3] >= -50)   // LP keyword as a name
        let objective = LinearExpression.sum((0..<4).map { unitCost[$0] * units[$0] + fixedCost[$0] * open[$0] })
            + 0.01 * balance + 17.5
        model.minimize(objective)
        return (model, objective)
    }

    @Test(arguments: [ModelFileFormat.cplexLP, .freeMPS])
    func readBackHasTheSameOptimum(format: ModelFileFormat) throws {
        let (model, _) = Self.plantModel()
        let direct = try GLPKSolver().solve(model)
        #expect(direct.status == .optimal)

        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("plant.\(format == .cplexLP ? "lp" : "mps")")
        try model.write(to: url, format: format)
        let reread = try GLPKSolver().solve(fileAt: url, format: format)
        #expect(reread.status == .optimal)
        #expect(abs(reread.objective - direct.objective) < 1e-6)
        // Names survive the round trip, and the constant is carried by a fixed column.
        #expect(reread.value(named: "objective_constant") == 1)
        #expect(reread.value(named: "N_p0") != nil)
        #expect(reread.rowDuals.isEmpty)   // a MILP without dualsByFixingIntegers
        // Only the target file is left behind (the temporary was renamed).
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == [url.lastPathComponent])
    }

    /// Models the writers need help with: a maximisation (GLPK's MPS has no OBJSENSE), a row with
    /// no finite bound (an MPS reader would take it for the objective), a model without rows.
    static func awkwardModels() -> [(label: String, model: Model, optimum: Double)] {
        let knapsack = KnapsackInstance(items: 30, seed: 61)
        var freeRow = Model(name: "free_row")
        let x = freeRow.addVariable("x", upperBound: 3), y = freeRow.addVariable("y", upperBound: 2)
        freeRow.addConstraint("c", x + y <= 4)
        freeRow.addConstraint("free", x - y, in: -Double.infinity...Double.infinity)
        freeRow.maximize(x + 2 * y)                      // y = 2, x = 2 → 6
        var noRows = Model(name: "no_rows")
        let a = noRows.addVariable("a", kind: .integer, lowerBound: -4, upperBound: 3)
        noRows.addVariable("b", upperBound: 3)
        noRows.minimize(2 * a - 1)                        // a = −4 → −9
        return [("knapsack", knapsack.model().0, Double(knapsack.dynamicProgrammingOptimum())),
                ("free_row", freeRow, 6), ("no_rows", noRows, -9)]
    }

    @Test(arguments: [ModelFileFormat.cplexLP, .freeMPS])
    func awkwardModelsRoundTrip(format: ModelFileFormat) throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for (label, model, optimum) in Self.awkwardModels() {
            let direct = try GLPKSolver().solve(model)
            #expect(direct.objective == optimum, "\(label)")
            let url = directory.appendingPathComponent("\(label).\(format == .cplexLP ? "lp" : "mps")")
            try model.write(to: url, format: format)
            let reread = try GLPKSolver().solve(fileAt: url, format: format)
            #expect(reread.status == .optimal, "\(label)")
            #expect(abs(reread.objective - optimum) < 1e-9, "\(label)")
        }
    }

    @Test func mpsTextNamesTheObjectiveAndStatesMaximisation() throws {
        let (model, _) = KnapsackInstance(items: 5, seed: 62).model()
        let text = try model.mpsFormat()
        #expect(text.contains("OBJSENSE\n    MAX"))
        #expect(text.contains(" N obj"))
        #expect(!text.contains("R0000000"))
        let (plant, _) = Self.plantModel()
        #expect(!(try plant.mpsFormat()).contains("OBJSENSE"))
    }

    @Test func lpTextUsesReadableSanitisedNames() throws {
        let (model, _) = Self.plantModel()
        let text = try model.lpFormat()
        for name in ["N_p0", "open_1_", "load_2", "capacity_p3", "demand:", "pools:", "st_:", "objective_constant", "balance free", "Generals"] {
            #expect(text.contains(name), "missing \(name)")
        }
        // GLPK's LP writer falls back to x_<j> / r_<i> for names it cannot write verbatim.
        #expect(!text.contains(" x_"))
        #expect(!text.contains(" r_"))
        let mps = try model.mpsFormat()
        #expect(mps.contains("capacity_p3"))
        #expect(mps.contains("N_p0"))
    }

    @Test func lpModelRoundTripsWithDuals() throws {
        var model = Model(name: "diet")
        let a = model.addVariable("a"), b = model.addVariable("b")
        let protein = model.addConstraint("protein", 3 * a + 1 * b >= 6)
        model.addConstraint("fat", 1 * a + 2 * b >= 4)
        model.minimize(2 * a + 3 * b)
        let direct = try GLPKSolver().solve(model)
        let text = try model.lpFormat()
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("diet.lp")
        try Data(text.utf8).write(to: url)
        let reread = try GLPKSolver().solve(fileAt: url, format: .cplexLP)
        // By hand: both rows tight at 3a + b = 6, a + 2b = 4 → a = 1.6, b = 1.2, cost 6.8.
        #expect(abs(direct.objective - 6.8) < 1e-9)
        #expect(abs(reread.objective - 6.8) < 1e-9)
        #expect(abs((reread.rowDuals["protein"] ?? .nan) - (direct.dual(of: protein) ?? .nan)) < 1e-9)
    }

    @Test func unreadableFileThrowsFileError() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("broken.lp")
        try Data("Minimize\n obj: x +\nSubject To\n".utf8).write(to: url)
        #expect {
            _ = try GLPKSolver().solve(fileAt: url, format: .cplexLP)
        } throws: { ($0 as? MILPError)?.code == .fileError }
        #expect {
            _ = try GLPKSolver().solve(fileAt: directory.appendingPathComponent("missing.lp"), format: .cplexLP)
        } throws: { ($0 as? MILPError)?.code == .fileError }
        try MisuseTests.checkNextModelSolves()
    }
}
