//! Helpers shared by the desk's integration tests.

#![allow(dead_code)] // each test binary uses a part

pub mod hub;
