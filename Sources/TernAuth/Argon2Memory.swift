import CArgon2

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The memory libargon2 fills during one hash: pages mapped from the kernel for that hash alone and
/// unmapped as soon as it ends.
///
/// Through malloc, a freed block smaller than glibc's largest mmap threshold (32 MiB on 64-bit) stays
/// in the heap of the thread that hashed: with `m=19456` every hashing thread keeps its 19 MiB for
/// good. Mapping the pages here hands them back to the kernel when the hash ends, whatever the cost
/// and whatever the allocator's thresholds.
enum Argon2Memory {
    /// libargon2's `allocate_cbk`. libargon2 ignores the return value and checks `*memory` only, so a
    /// failed mapping must leave `nil` there.
    static func allocate(_ memory: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?, _ length: Int) -> Int32 {
        guard let memory else { return ARGON2_MEMORY_ALLOCATION_ERROR.rawValue }
        memory.pointee = map(length)
        return memory.pointee == nil ? ARGON2_MEMORY_ALLOCATION_ERROR.rawValue : ARGON2_OK.rawValue
    }

    /// libargon2's `free_cbk`; libargon2 has wiped the blocks already.
    static func free(_ memory: UnsafeMutablePointer<UInt8>?, _ length: Int) {
        guard let memory else { return }
        munmap(memory, length)
    }

    private static func map(_ length: Int) -> UnsafeMutablePointer<UInt8>? {
        guard length > 0 else { return nil }
        let pages = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let pages, pages != MAP_FAILED else { return nil }
        return pages.assumingMemoryBound(to: UInt8.self)
    }
}
