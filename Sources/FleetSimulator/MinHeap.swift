/// An array-backed binary min-heap: O(log n) push and pop, O(1) peek, no per-element
/// allocation. The simulator keeps one for pending iteration ends (keyed on time) and one
/// per instance for decoding sequences (keyed on the iteration they finish in).
struct MinHeap<Element: Comparable> {
    private(set) var elements: [Element] = []

    init() {}

    var count: Int { elements.count }
    var isEmpty: Bool { elements.isEmpty }
    var minimum: Element? { elements.first }

    mutating func push(_ element: Element) {
        elements.append(element)
        var child = elements.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard elements[child] < elements[parent] else { break }
            elements.swapAt(child, parent)
            child = parent
        }
    }

    @discardableResult
    mutating func popMinimum() -> Element? {
        guard let last = elements.popLast() else { return nil }
        guard !elements.isEmpty else { return last }
        let top = elements[0]
        elements[0] = last
        siftDown()
        return top
    }

    /// Replaces the minimum with `element` in one sift-down — half the work of a pop and a
    /// push. The engine's common case: an instance's iteration ends and its next one starts.
    mutating func replaceMinimum(with element: Element) {
        guard !elements.isEmpty else {
            elements.append(element)
            return
        }
        elements[0] = element
        siftDown()
    }

    /// Moves the root down to restore the heap order, bottom-up (Floyd): follow the smaller
    /// children to a leaf, then climb back to where the moved element belongs. One comparison
    /// per level instead of two; the engine's replaced element is usually a late iteration
    /// end that belongs near the bottom anyway.
    private mutating func siftDown() {
        elements.withUnsafeMutableBufferPointer { heap in
            let count = heap.count
            let moving = heap[0]
            var hole = 0
            while true {
                let left = 2 * hole + 1
                guard left < count else { break }
                let right = left + 1
                let smaller = right < count && heap[right] < heap[left] ? right : left
                heap[hole] = heap[smaller]
                hole = smaller
            }
            while hole > 0 {
                let parent = (hole - 1) / 2
                guard moving < heap[parent] else { break }
                heap[hole] = heap[parent]
                hole = parent
            }
            heap[hole] = moving
        }
    }
}
