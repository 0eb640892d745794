// markdown (internal): the memory that one parsed page's cmark objects live in.
//
// cmark-gfm asks malloc for every node, every text and every growing buffer of a page,
// and frees them one by one when the page goes (about 5 % of the CPU time of a
// 10,000-chapter build). A page's objects all go together, so an arena hands them out
// from a few large blocks and lets the blocks go at once: nothing is freed node by node.
//
// Some texts make cmark allocate and free far more than it keeps (hostile Markdown:
// link openers and emphasis interleaved). Past a budget the arena therefore gives each
// allocation its own block from malloc, freed when cmark frees it or with the arena,
// so memory stays what cmark's own allocator would use. With AddressSanitizer every
// allocation is one of those, so that it still sees each block's bounds and lifetime.
//
// cmark's allocator (cmark_mem) is three plain functions with no context, so the arena
// that they allocate from is the one in use on the calling thread: every call into
// cmark on an arena's page runs while an ArenaInUse for it is alive.
#pragma once

#include <cmark-gfm.h>

#include <cstddef>
#include <memory>
#include <vector>

namespace cypp::markdown {

class CmarkArena {
public:
    CmarkArena() = default;
    ~CmarkArena();
    CmarkArena(const CmarkArena&) = delete;
    CmarkArena& operator=(const CmarkArena&) = delete;

    // cmark's allocator, allocating from the arena in use on the calling thread. Use it
    // only for objects that die with their arena (never pass them to another allocator).
    static cmark_mem* allocator();

    // Bytes of the large blocks taken so far, and how many allocations have a block of
    // their own and are not freed yet (for the tests).
    std::size_t reserved_bytes() const { return reserved_; }
    std::size_t own_blocks() const;

    // What the large blocks may hold in all; past it, allocations get blocks of their own.
    static const std::size_t budget_bytes;

private:
    friend class ArenaInUse;
    friend struct ArenaCalls;
    struct OwnBlock;
    void* allocate(std::size_t size);
    void* allocate_in_new_block(std::size_t size);
    void* reallocate(void* block, std::size_t size);
    void release(void* block);
    void* allocate_own(std::size_t size);

    std::vector<std::unique_ptr<char[]>> blocks_;
    std::size_t block_size_ = 0;  // of the last block
    char* free_ = nullptr;        // where the free end of the last block starts
    char* end_ = nullptr;         // of the last block
    char* last_ = nullptr;        // the last allocation: it can grow in place
    std::size_t reserved_ = 0;
    OwnBlock* own_ = nullptr;     // the allocations with blocks of their own, newest first
};

// Makes arena the one that cmark allocates from on this thread, until it is destroyed
// (the one before is then in use again).
class ArenaInUse {
public:
    explicit ArenaInUse(CmarkArena& arena);
    ~ArenaInUse();
    ArenaInUse(const ArenaInUse&) = delete;
    ArenaInUse& operator=(const ArenaInUse&) = delete;

private:
    CmarkArena* previous_;
};

}  // namespace cypp::markdown
