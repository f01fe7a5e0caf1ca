/// A first-in first-out queue on a growable ring buffer: O(1) append and removal at the
/// front, memory proportional to the peak length (not to everything that ever passed).
struct FIFOQueue<Element> {
    private var storage: [Element?] = []
    private var head = 0
    private(set) var count = 0

    init() {}

    var isEmpty: Bool { count == 0 }

    var first: Element? { count > 0 ? storage[head] : nil }

    mutating func append(_ element: Element) {
        if count == storage.count { grow() }
        storage[(head + count) % storage.count] = element
        count += 1
    }

    @discardableResult
    mutating func popFirst() -> Element? {
        guard count > 0 else { return nil }
        let element = storage[head]
        storage[head] = nil
        head = (head + 1) % storage.count
        count -= 1
        return element
    }

    /// The element `offset` places behind the front (0 is the front), readable and writable.
    subscript(offset: Int) -> Element {
        get { storage[(head + offset) % storage.count]! }
        set { storage[(head + offset) % storage.count] = newValue }
    }

    private mutating func grow() {
        let newCapacity = max(8, storage.count * 2)
        var newStorage = [Element?](repeating: nil, count: newCapacity)
        for offset in 0..<count {
            newStorage[offset] = storage[(head + offset) % storage.count]
        }
        storage = newStorage
        head = 0
    }
}
