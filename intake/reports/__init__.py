"""What staff read, made from the answers: the brief as stored and kept, the client list,
exports, room feedback and charts."""
