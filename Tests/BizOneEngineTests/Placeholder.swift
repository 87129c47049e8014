import Testing

@Test func enginePlaceholder() {
    #expect(Bool(true))
}
