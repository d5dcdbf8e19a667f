"""Deterministic demo data at reference scale: 100,000 customers in a few minutes.

``seed_demo(db, customers=100_000)`` fills a freshly migrated, empty database with users of
every role, a machinery catalogue, customers across Indian states and three years of
quotations, orders, payments, interactions, follow-up tasks and credit history. The same
``seed`` and ``now`` always give the same rows (``now`` defaults to a fixed date, not the
wall clock), so benchmarks and screenshots are reproducible.

How it stays fast and bounded:

* Every per-customer figure that shapes the data set (creation time, type, status, activity,
  expected document counts) is planned once for all customers as compact numpy arrays.
  Rows are then generated chunk by chunk, fully vectorised, in a worker thread. A chunk is a
  run of consecutive customers expected to produce about ``CHUNK_ROWS`` rows (at most
  ``CHUNK_CUSTOMERS`` customers), so memory stays flat although long-standing customers
  have many more orders than new ones. Only a few chunks are ever alive at once: the ones
  being written (one writer on SQLite, ``POSTGRES_WRITERS`` parallel connections on
  PostgreSQL, each committing whole chunks) and the one being generated.
* Primary keys are assigned here (sequential integers), so children reference parents
  without ``RETURNING`` and every table's ids of a chunk are contiguous.
* Rows bypass the ORM. SQLite gets ``executemany`` on the driver connection with values
  already in the exact form the column types store (``Money``/``Percent`` as integer
  hundredths, ``UTCDateTime`` as naive UTC ``'YYYY-MM-DD HH:MM:SS.ffffff'``, dates as
  ``'YYYY-MM-DD'``, booleans as 0/1, JSON as ``json.dumps`` text); PostgreSQL gets binary
  ``COPY`` with ``Decimal`` money and aware datetimes. Constraints, foreign keys and indexes
  stay on: parents are always inserted before their children.
* One write transaction per chunk. A failure leaves the chunks already committed in place;
  ``seed_demo`` then refuses to run again until the database is recreated.

Money follows ``resolvers.money``: each (product, discount) unit price comes from
``discounted_unit_price``; a line total is unit price × quantity (exactly
``money.line_total``, no rounding is needed for an integer quantity of a 2-decimal price),
held in integer paise; a document total is the sum of its lines (``document_total``).

Timestamps are whole seconds in UTC; business days, order dates and due dates are reckoned
in India Standard Time (UTC+05:30, the default ``business_timezone``; India has no DST).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import json
import random
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from sqlalchemy import func, insert, select, text

from app.db import Database
from models import (
    Counter,
    CreditLimitHistory,
    Customer,
    CustomerInteraction,
    FollowUpTask,
    Order,
    OrderLine,
    OrderStatusChange,
    Payment,
    Product,
    Quotation,
    QuotationLine,
    QuotationStatusChange,
    User,
)
from models.enums import (
    BusinessType,
    CustomerStatus,
    InteractionKind,
    InteractionStatus,
    OrderStatus,
    PaymentMethod,
    Priority,
    QuotationStatus,
    Role,
    TaskSource,
    TaskStatus,
)
from resolvers.money import discounted_unit_price
from resolvers.numbering import CUSTOMER, ORDER, QUOTATION, format_number, set_counter_at_least
from resolvers.passwords import hash_password_sync
from resolvers.search import customer_search_text

__all__ = [
    "DEFAULT_NOW",
    "DEMO_ADMIN_EMAIL",
    "DEMO_PASSWORD",
    "SeedStats",
    "database_is_empty",
    "seed_demo",
]

DEMO_PASSWORD = "demo-password"
DEMO_ADMIN_EMAIL = "admin@sanvi.example"
DEFAULT_NOW = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)

CHUNK_CUSTOMERS = 2000
CHUNK_ROWS = 100_000
POSTGRES_WRITERS = 3
SQLITE_CACHE_KIB = 128 * 1024  # page cache of the seeding connection: index pages stay hot
SQLITE_WAL_AUTOCHECKPOINT = 50_000  # pages (~200 MB of WAL) between checkpoints while seeding
HISTORY_DAYS = 3 * 365  # customers and documents span the three years before ``now``

ORDERS_PER_CUSTOMER = 10.0
QUOTATIONS_PER_CUSTOMER = 3.0
INTERACTIONS_PER_CUSTOMER = 5.0

_DAY = 86_400
_HOUR = 3_600
_IST = 19_800  # UTC+05:30 in seconds
_OPEN = 9 * _HOUR  # business hours 09:00-19:00 local
_OPEN_SECONDS = 10 * _HOUR
_PAYMENT_TERMS_DAYS = 30
_QUOTATION_VALIDITY_DAYS = 30


@dataclass
class SeedStats:
    users: int
    products: int
    customers: int
    quotations: int
    orders: int
    payments: int
    interactions: int
    tasks: int
    seconds: float


# --------------------------------------------------------------------------------------
# Reference vocabularies
# --------------------------------------------------------------------------------------

# (name, GST state code, weight, industrial estate, ((city, PIN prefix), ...))
_STATES: tuple[tuple[str, str, float, str, tuple[tuple[str, str], ...]], ...] = (
    ("Maharashtra", "27", 16.0, "MIDC", (("Pune", "411"), ("Mumbai", "400"), ("Nashik", "422"),
        ("Nagpur", "440"), ("Aurangabad", "431"), ("Kolhapur", "416"), ("Thane", "400"))),
    ("Gujarat", "24", 13.0, "GIDC", (("Ahmedabad", "380"), ("Rajkot", "360"), ("Surat", "395"),
        ("Vadodara", "390"), ("Bhavnagar", "364"), ("Jamnagar", "361"))),
    ("Tamil Nadu", "33", 11.0, "SIDCO", (("Coimbatore", "641"), ("Chennai", "600"),
        ("Hosur", "635"), ("Madurai", "625"), ("Tiruppur", "641"), ("Salem", "636"))),
    ("Karnataka", "29", 9.0, "KIADB", (("Bengaluru", "560"), ("Mysuru", "570"),
        ("Hubballi", "580"), ("Belagavi", "590"), ("Mangaluru", "575"))),
    ("Uttar Pradesh", "09", 8.0, "UPSIDC", (("Noida", "201"), ("Ghaziabad", "201"),
        ("Kanpur", "208"), ("Lucknow", "226"), ("Agra", "282"), ("Aligarh", "202"))),
    ("Haryana", "06", 6.0, "HSIIDC", (("Gurugram", "122"), ("Faridabad", "121"),
        ("Panipat", "132"), ("Ambala", "133"), ("Manesar", "122"))),
    ("Punjab", "03", 5.0, "Focal Point", (("Ludhiana", "141"), ("Jalandhar", "144"),
        ("Amritsar", "143"), ("Mohali", "160"))),
    ("Rajasthan", "08", 5.0, "RIICO", (("Jaipur", "302"), ("Jodhpur", "342"),
        ("Bhiwadi", "301"), ("Udaipur", "313"), ("Kota", "324"))),
    ("Telangana", "36", 5.0, "IDA", (("Hyderabad", "500"), ("Warangal", "506"),
        ("Karimnagar", "505"))),
    ("West Bengal", "19", 4.0, "Industrial Estate", (("Kolkata", "700"), ("Howrah", "711"),
        ("Durgapur", "713"), ("Siliguri", "734"), ("Asansol", "713"))),
    ("Madhya Pradesh", "23", 4.0, "AKVN", (("Indore", "452"), ("Pithampur", "454"),
        ("Bhopal", "462"), ("Gwalior", "474"), ("Jabalpur", "482"))),
    ("Andhra Pradesh", "37", 3.0, "APIIC", (("Visakhapatnam", "530"), ("Vijayawada", "520"),
        ("Guntur", "522"), ("Nellore", "524"))),
    ("Delhi", "07", 3.0, "Okhla Industrial Area", (("New Delhi", "110"), ("Delhi", "110"))),
    ("Kerala", "32", 2.0, "KINFRA", (("Kochi", "682"), ("Thiruvananthapuram", "695"),
        ("Kozhikode", "673"), ("Thrissur", "680"))),
    ("Odisha", "21", 2.0, "IDCO", (("Bhubaneswar", "751"), ("Cuttack", "753"),
        ("Rourkela", "769"))),
    ("Jharkhand", "20", 2.0, "Adityapur Industrial Area", (("Jamshedpur", "831"),
        ("Ranchi", "834"), ("Dhanbad", "826"), ("Bokaro", "827"))),
    ("Chhattisgarh", "22", 1.5, "CSIDC", (("Raipur", "492"), ("Bhilai", "490"),
        ("Bilaspur", "495"))),
    ("Uttarakhand", "05", 1.5, "SIIDCUL", (("Rudrapur", "263"), ("Haridwar", "249"),
        ("Dehradun", "248"))),
    ("Bihar", "10", 1.0, "BIADA", (("Patna", "800"), ("Muzaffarpur", "842"),
        ("Hajipur", "844"))),
    ("Himachal Pradesh", "02", 1.0, "Industrial Area", (("Baddi", "173"), ("Shimla", "171"),
        ("Solan", "173"))),
    ("Goa", "30", 1.0, "Verna Industrial Estate", (("Verna", "403"), ("Margao", "403"),
        ("Panaji", "403"))),
    ("Assam", "18", 1.0, "Industrial Estate", (("Guwahati", "781"), ("Dibrugarh", "786"))),
    ("Jammu and Kashmir", "01", 0.5, "SIDCO", (("Jammu", "180"), ("Srinagar", "190"))),
)  # fmt: skip

_FIRST_NAMES = (
    "Aarav", "Vivaan", "Aditya", "Arjun", "Rohan", "Rahul", "Amit", "Suresh", "Ramesh",
    "Mahesh", "Rajesh", "Sanjay", "Vikram", "Anil", "Sunil", "Manoj", "Deepak", "Prakash",
    "Karthik", "Venkatesh", "Srinivas", "Ganesh", "Harish", "Naveen", "Pradeep", "Imran",
    "Farhan", "Gurpreet", "Harpreet", "Jaspreet", "Joseph", "Thomas", "Arvind", "Nitin",
    "Vijay", "Ajay", "Ravi", "Kiran", "Mohan", "Sachin", "Priya", "Ananya", "Diya",
    "Kavya", "Sneha", "Pooja", "Neha", "Anjali", "Lakshmi", "Meena", "Sunita", "Rekha",
    "Divya", "Swati", "Shalini", "Nandini", "Aishwarya", "Fatima", "Simran", "Ritu",
)  # fmt: skip

_LAST_NAMES = (
    "Sharma", "Verma", "Gupta", "Agarwal", "Patel", "Shah", "Mehta", "Desai", "Joshi",
    "Kulkarni", "Deshpande", "Patil", "Pawar", "Jadhav", "Reddy", "Naidu", "Rao", "Iyer",
    "Iyengar", "Nair", "Menon", "Pillai", "Krishnan", "Subramanian", "Banerjee", "Chatterjee",
    "Mukherjee", "Das", "Ghosh", "Bose", "Singh", "Chauhan", "Rathore", "Yadav", "Mishra",
    "Tiwari", "Pandey", "Dubey", "Saxena", "Srivastava", "Kapoor", "Malhotra", "Khanna",
    "Arora", "Bhatia", "Gill", "Sandhu", "Grewal", "Khan", "Qureshi", "Ansari", "Fernandes",
    "D'Souza", "Thakur", "Chaudhary", "Mahajan", "Bhat", "Hegde", "Shetty", "Kamath",
)  # fmt: skip

_SB_INDUSTRIES = (
    "Engineering Works", "Fabricators", "Auto Components", "Precision Tools", "Industries",
    "Machine Tools", "Castings", "Forgings", "Agro Industries", "Plastics", "Hydraulics",
    "Metal Works", "Enterprises", "Traders", "Steel Fabrication", "Packaging", "Textiles",
    "Pumps and Motors", "Electricals", "Tool Room", "Sheet Metal Works", "Engineers",
)  # fmt: skip
_SB_PREFIXES = (
    "Shree Ganesh", "Sai", "Balaji", "Laxmi", "Om", "Jai Bharat", "Shiv Shakti", "Maruti",
    "Gayatri", "Mahalaxmi", "Durga", "Vishwakarma", "Annapurna", "Sri Venkateswara",
    "Murugan", "Guru Nanak", "New India", "Bharat", "Sunrise", "Perfect",
)  # fmt: skip
_SB_SUFFIXES = ("", "", "", " Pvt Ltd", " LLP", " & Co.", " & Sons")
_ENT_PREFIXES = (
    "Deccan", "Sahyadri", "Narmada", "Kaveri", "Godavari", "Ganga", "Himalaya", "Konark",
    "Vindhya", "Aravali", "Indus", "Coromandel", "Malabar", "Satpura", "Nilgiri", "Tapti",
    "Brahmaputra", "Kanchenjunga", "Chola", "Vijayanagar",
)  # fmt: skip
_ENT_INDUSTRIES = (
    "Steel", "Auto Parts", "Heavy Engineering", "Cements", "Power Systems", "Textile Mills",
    "Fertilisers", "Paper Mills", "Chemicals", "Infrastructure", "Motors", "Polymers",
    "Sugar Mills", "Railway Equipment", "Defence Systems", "Pharma Machinery",
)  # fmt: skip
_ENT_SUFFIXES = (" Limited", " Ltd", " Industries Limited", " Pvt Ltd")
# (name template, email local part); {city} / {state} are filled in.
_GOV_BODIES = (
    ("Public Works Department, {city}", "pwd"),
    ("{city} Municipal Corporation", "mc"),
    ("Government ITI, {city}", "iti"),
    ("Government Polytechnic, {city}", "gpt"),
    ("Irrigation Division, {city}", "irrigation"),
    ("District Water Supply Office, {city}", "water"),
    ("Railway Carriage Workshop, {city}", "workshop"),
    ("{state} State Road Transport Corporation, {city} Depot", "srtc"),
    ("Agricultural Engineering Department, {city}", "agri"),
    ("{state} Power Generation Corporation", "power"),
)
_EMAIL_DOMAINS = ("gmail.com", "yahoo.co.in", "rediffmail.com", "outlook.com", "gmail.com")
_BUSINESS_MAILBOXES = ("purchase", "accounts", "info", "sales", "stores", "office")
_BUSINESS_TLDS = ("in", "co.in", "com")
_ROADS = (
    "MG Road", "Station Road", "Gandhi Nagar", "Nehru Chowk", "Tilak Road", "Shivaji Nagar",
    "Patel Colony", "Ambedkar Road", "Rajaji Street", "Civil Lines", "Sadar Bazaar",
    "Market Yard Road", "Ring Road", "Nehru Nagar", "Subhash Marg",
)  # fmt: skip
_LANDMARKS = (
    "Near Bus Stand", "Opp. Railway Station", "Near Water Tank", "Behind Petrol Pump",
    "Near SBI Branch", "Opp. Telephone Exchange", "Near Hanuman Temple", "Near Toll Naka",
)  # fmt: skip

_BUSINESS_TYPES = (
    BusinessType.INDIVIDUAL,
    BusinessType.SMALL_BUSINESS,
    BusinessType.ENTERPRISE,
    BusinessType.GOVERNMENT,
)
_IND, _SB, _ENT, _GOV = range(4)
_TYPE_P = (0.15, 0.62, 0.13, 0.10)
_ACTIVE, _PROSPECT, _INACTIVE = range(3)
_STATUSES = (CustomerStatus.ACTIVE, CustomerStatus.PROSPECT, CustomerStatus.INACTIVE)

_TAGS = ("key-account", "export", "msme", "priority", "dealer", "new-plant")
# P(tag) per business type; rows are types in _BUSINESS_TYPES order.
_TAG_P = np.array(
    [
        [0.02, 0.01, 0.05, 0.05, 0.03, 0.01],
        [0.04, 0.08, 0.40, 0.05, 0.07, 0.04],
        [0.35, 0.18, 0.00, 0.10, 0.02, 0.08],
        [0.20, 0.00, 0.00, 0.08, 0.00, 0.03],
    ]
)
# Credit limits in rupees per type, and the share of customers without a limit (None).
_CREDIT_CHOICES = (
    (25_000, 50_000, 75_000, 100_000, 150_000, 200_000, 300_000, 500_000),
    (100_000, 200_000, 300_000, 500_000, 750_000, 1_000_000, 1_500_000, 2_000_000, 2_500_000,
     5_000_000),
    (2_500_000, 5_000_000, 7_500_000, 10_000_000, 15_000_000, 20_000_000, 50_000_000),
    (1_000_000, 2_500_000, 5_000_000, 10_000_000),
)  # fmt: skip
_CREDIT_NONE_P = np.array([0.25, 0.15, 0.20, 0.60])
# Utilisation bands for customers who owe money: comfortable, WARNING, CRITICAL, EXCEEDED.
_UTILISATION_P = (0.80, 0.08, 0.06, 0.06)
_UTILISATION_LOW = np.array([0.10, 0.76, 0.91, 1.05])
_UTILISATION_HIGH = np.array([0.75, 0.90, 1.00, 1.60])
_CREDIT_ZERO_P = np.array([0.20, 0.07, 0.02, 0.05])

# Relative activity per business type: quotations, orders, interactions.
_MULT_Q = np.array([0.6, 1.0, 1.8, 1.6])
_MULT_O = np.array([0.35, 1.0, 2.2, 1.3])
_MULT_I = np.array([0.6, 1.0, 1.7, 1.2])
_ACCEPT_P = np.array([0.35, 0.38, 0.45, 0.40])
_REJECT_P = 0.25
_CONVERT_P = 0.85

_CATEGORIES = ("CNC Machines", "Lathes", "Compressors", "Pumps", "Spare Parts",
               "Service Contracts")  # fmt: skip
_CATEGORY_P = np.array(
    [
        [0.00, 0.04, 0.08, 0.38, 0.45, 0.05],
        [0.03, 0.08, 0.10, 0.17, 0.45, 0.17],
        [0.10, 0.06, 0.10, 0.09, 0.42, 0.23],
        [0.03, 0.07, 0.08, 0.32, 0.32, 0.18],
    ]
)
# Quantity per line: geometric(p) capped, per category.
_QTY_P = np.array([0.92, 0.85, 0.85, 0.55, 0.12, 0.90])
_QTY_MAX = np.array([3, 4, 4, 10, 60, 3])
_DISCOUNTS = ("0", "2.5", "5", "7.5", "10")
_DISCOUNT_P = np.array(
    [
        [0.90, 0.05, 0.05, 0.00, 0.00],
        [0.80, 0.07, 0.08, 0.03, 0.02],
        [0.62, 0.10, 0.14, 0.09, 0.05],
        [0.78, 0.04, 0.10, 0.04, 0.04],
    ]
)
_CATEGORY_BLURB = (
    "CNC machine with Fanuc/Siemens control, installation and operator training included.",
    "Conventional lathe, hardened and ground bed ways, standard accessories.",
    "Industrial air compressor, IE3 motor, energy-efficient operation.",
    "Pump set for industrial, agricultural and utility duty; ISI marked.",
    "Genuine spare part, ex-stock from our central warehouse.",
    "On-site service by factory-trained engineers.",
)
# (sku, name, category index, list price in rupees)
_PRODUCTS: tuple[tuple[str, str, int, str], ...] = (
    ("CNC-VMC-640", "Vertical Machining Centre VMC 640", 0, "2850000"),
    ("CNC-VMC-850", "Vertical Machining Centre VMC 850", 0, "3675000"),
    ("CNC-VMC-1060", "Vertical Machining Centre VMC 1060", 0, "4890000"),
    ("CNC-TC-200", "CNC Turning Centre TC 200", 0, "1980000"),
    ("CNC-TC-300L", "CNC Turning Centre TC 300L", 0, "2740000"),
    ("CNC-HMC-500", "Horizontal Machining Centre HMC 500", 0, "9200000"),
    ("CNC-RTR-1325", "CNC Wood Router 1325", 0, "685000"),
    ("CNC-LSR-3015", "Fibre Laser Cutting Machine 3015 (3 kW)", 0, "4250000"),
    ("CNC-PB-100T", "CNC Press Brake 100 T", 0, "1860000"),
    ("CNC-EDM-W400", "Wire Cut EDM W400", 0, "2430000"),
    ("LTH-AG-1500", "All Geared Lathe 1500 mm", 1, "345000"),
    ("LTH-AG-2000", "All Geared Lathe 2000 mm", 1, "420000"),
    ("LTH-HD-3000", "Heavy Duty Lathe 3000 mm", 1, "875000"),
    ("LTH-BN-450", "Bench Lathe 450 mm", 1, "68500"),
    ("LTH-VB-1200", "V-Belt Lathe 1200 mm", 1, "148000"),
    ("LTH-TR-1000", "Tool Room Lathe TRL 1000", 1, "610000"),
    ("LTH-RT-4000", "Roll Turning Lathe 4 m", 1, "1890000"),
    ("LTH-PT-250", "Pipe Threading Lathe PT 250", 1, "1125000"),
    ("LTH-CP-32", "Capstan Lathe 32 mm", 1, "235000"),
    ("CMP-SC-7.5", "Screw Air Compressor 7.5 kW", 2, "285000"),
    ("CMP-SC-15", "Screw Air Compressor 15 kW", 2, "460000"),
    ("CMP-SC-37", "Screw Air Compressor 37 kW", 2, "895000"),
    ("CMP-VSD-75", "VSD Screw Compressor 75 kW", 2, "1740000"),
    ("CMP-RC-3HP", "Reciprocating Compressor 3 HP", 2, "58000"),
    ("CMP-RC-10HP", "Reciprocating Compressor 10 HP", 2, "132000"),
    ("CMP-DRY-250", "Refrigerated Air Dryer 250 CFM", 2, "115000"),
    ("CMP-OF-22", "Oil-free Scroll Compressor 22 kW", 2, "1280000"),
    ("PMP-CM-1HP", "Centrifugal Monoblock Pump 1 HP", 3, "8450"),
    ("PMP-CM-5HP", "Centrifugal Monoblock Pump 5 HP", 3, "24900"),
    ("PMP-SB-7.5HP", "Submersible Borewell Pump 7.5 HP", 3, "46500"),
    ("PMP-SB-15HP", "Submersible Borewell Pump 15 HP", 3, "89000"),
    ("PMP-ES-40HP", "End Suction Pump 40 HP", 3, "165000"),
    ("PMP-SL-75", "Slurry Pump 75 mm", 3, "210000"),
    ("PMP-DS-10", "Chemical Dosing Pump 10 LPH", 3, "18750"),
    ("PMP-FH-50HP", "Fire Hydrant Pump Set 50 HP", 3, "475000"),
    ("PMP-SLR-3HP", "Solar Water Pump 3 HP", 3, "138000"),
    ("SPR-BRG-6205", "Deep Groove Ball Bearing 6205", 4, "185"),
    ("SPR-BRG-22216", "Spherical Roller Bearing 22216", 4, "6450"),
    ("SPR-BLT-B52", "V-Belt B52", 4, "340"),
    ("SPR-CHK-250", "3-Jaw Lathe Chuck 250 mm", 4, "14800"),
    ("SPR-INS-CNMG", "Carbide Insert CNMG 120408 (box of 10)", 4, "3250"),
    ("SPR-TH-BT40", "BT40 Tool Holder", 4, "5600"),
    ("SPR-SPB-VMC", "Spindle Bearing Set (VMC)", 4, "48500"),
    ("SPR-BS-3210", "Ball Screw 32 mm x 1000 mm", 4, "22400"),
    ("SPR-FLT-AIR", "Compressor Air Filter Element", 4, "1950"),
    ("SPR-OIL-SEP", "Compressor Oil Separator", 4, "7800"),
    ("SPR-SEAL-35", "Pump Mechanical Seal 35 mm", 4, "2650"),
    ("SPR-IMP-5HP", "Pump Impeller (5 HP)", 4, "3900"),
    ("SPR-CLN-20L", "Cutting Coolant 20 L", 4, "4200"),
    ("SPR-HYD-68", "Hydraulic Oil ISO VG 68 (20 L)", 4, "3480"),
    ("SPR-SRV-1.5", "Servo Motor 1.5 kW", 4, "38900"),
    ("SPR-CON-32A", "Contactor 32 A", 4, "1150"),
    ("SVC-AMC-CNC", "Annual Maintenance Contract - CNC Machine", 5, "125000"),
    ("SVC-AMC-LTH", "Annual Maintenance Contract - Lathe", 5, "35000"),
    ("SVC-AMC-CMP", "Annual Maintenance Contract - Compressor", 5, "48000"),
    ("SVC-AMC-PMP", "Annual Maintenance Contract - Pump Set", 5, "12500"),
    ("SVC-INST", "Installation and Commissioning", 5, "25000"),
    ("SVC-TRN-CNC", "CNC Operator Training (5 days)", 5, "18000"),
    ("SVC-CAL", "Machine Calibration and Laser Alignment", 5, "32000"),
    ("SVC-BRK", "Breakdown Visit (per day)", 5, "6500"),
)

# Interactions: kinds in InteractionKind order with their weights.
_KINDS = (
    InteractionKind.EMAIL,
    InteractionKind.CALL,
    InteractionKind.MEETING,
    InteractionKind.NOTE,
    InteractionKind.FOLLOW_UP,
)
_KIND_P = (0.30, 0.35, 0.15, 0.10, 0.10)
_EMAIL, _CALL, _MEETING, _NOTE, _FOLLOW_UP = range(5)
_SUBJECTS = (
    (
        "Quotation sent for {p}", "Technical specifications of {p}", "Brochure: {p}",
        "Revised price list for {c}", "Invoice copy requested", "Delivery confirmation",
        "Payment reminder", "Service report shared", "GST invoice correction request",
    ),
    (
        "Enquiry about {p}", "Price negotiation for {p}", "Delivery schedule for {p}",
        "Breakdown complaint - {p}", "Payment follow-up call", "Introductory call",
        "AMC renewal discussion", "Spare parts requirement", "Technical query on {p}",
    ),
    (
        "Site visit for {p} installation", "Demo of {p} at customer plant",
        "Annual business review", "Plant visit with application engineer",
        "Negotiation meeting - {p}", "Visit to our demo centre for {c}",
    ),
    (
        "Customer expanding shop floor", "Competitor offering lower price on {p}",
        "New purchase manager appointed", "Budget approval expected next quarter",
        "Prefers payment by cheque", "Interested in {p}", "Plant shutdown planned",
    ),
    (
        "Follow-up on quotation for {p}", "Follow-up on demo feedback",
        "Follow-up on payment commitment", "Follow-up after installation of {p}",
        "Check satisfaction after service visit",
    ),
)  # fmt: skip
_NOTES = (
    "Spoke to the purchase manager; requirement confirmed for this quarter.",
    "Customer compared our offer with two other vendors.",
    "Decision maker is the plant head; meeting to be arranged.",
    "Existing machine is 15 years old and breaks down often.",
    "Asked for references of installations in the same city.",
    "Wants delivery before the financial year end.",
    "Requested a trial run with their own component.",
    "Finance team asked for extended payment terms.",
)
_OUTCOMES = (
    "Customer requested a revised quotation",
    "Demo scheduled",
    "Order expected next month",
    "No requirement at present",
    "Payment promised by month end",
    "Issue resolved",
    "Sent technical datasheet",
    "Customer will confirm after management approval",
    "Left a message; will call again",
    "Converted to order",
)
_TAG_SETS = (
    (), (), (), (), (), ("demo",), ("pricing",), ("service",), ("payment",), ("complaint",),
    ("installation",), ("amc",), ("training",), ("pricing", "negotiation"),
    ("service", "complaint"), ("demo", "pricing"), ("payment", "reminder"),
)  # fmt: skip
_TASK_TITLES = (
    "Call to confirm delivery schedule", "Send revised quotation",
    "Arrange demo at customer site", "Collect pending payment", "Schedule AMC visit",
    "Share spare parts price list", "Confirm installation date",
    "Visit plant for requirement study", "Get feedback on recent service",
    "Renew annual maintenance contract",
)  # fmt: skip
_TASK_DESCRIPTIONS = (
    None,
    None,
    "Customer asked to be contacted in the morning.",
    "Coordinate with the service team before calling.",
    "Check credit status with finance first.",
    "Carry the latest brochure and price list.",
)
_TASK_OUTCOMES = (
    "Done - customer confirmed",
    "Quotation revised and sent",
    "Payment received",
    "Demo completed; customer evaluating",
    "Visit completed",
    "Customer not reachable; closed after three attempts",
)
_TASK_CANCEL_OUTCOMES = ("No longer required", "Duplicate task", "Customer postponed the plan")
_QUOTATION_NOTES = (
    None,
    None,
    "Prices ex-works; GST extra as applicable.",
    "Includes installation, commissioning and operator training.",
    "Freight and insurance extra. Validity 30 days.",
)
_REJECT_REASONS = (
    "Price too high",
    "Went with a competitor",
    "Project postponed",
    "Budget not approved",
    "Delivery time too long",
)
_ORDER_NOTES = (
    None, None, None, None, "Deliver to Gate 2", "Installation after delivery",
    "Urgent: production line down", "Part shipment accepted", "Transport by customer",
)  # fmt: skip
_SHIP_NOTES = ("Dispatched by road", "Dispatched via transporter, LR attached",
               "Shipped by courier")  # fmt: skip
_DELIVER_NOTES = (None, "Delivered and acknowledged", "Delivered; installation pending")
_CANCEL_NOTES = ("Cancelled at customer's request", "Cancelled: credit hold",
                 "Cancelled: duplicate order")  # fmt: skip
_PAY_METHODS = (
    PaymentMethod.BANK_TRANSFER,
    PaymentMethod.UPI,
    PaymentMethod.CHEQUE,
    PaymentMethod.CARD,
    PaymentMethod.CASH,
)
_PAY_METHOD_P = (0.50, 0.22, 0.18, 0.06, 0.04)
# Largest amount per method: UPI 1 lakh, card 5 lakh, cash below 2 lakh (Income-tax Act
# s. 269ST); bank transfers and cheques are unlimited.
_METHOD_LIMIT_PAISE = np.array([2**62, 100_000_00, 2**62, 500_000_00, 199_999_99])
_PRIORITIES = (Priority.LOW, Priority.MEDIUM, Priority.HIGH, Priority.URGENT)


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------


async def database_is_empty(db: Database) -> bool:
    """True when there are no customers and no users."""
    async with db.read_session() as session:
        has_customers = (await session.execute(select(Customer.id).limit(1))).first()
        has_users = (await session.execute(select(User.id).limit(1))).first()
    return has_customers is None and has_users is None


async def seed_demo(
    db: Database,
    *,
    customers: int = 2000,
    seed: int = 42,
    now: dt.datetime | None = None,
    progress: Callable[[str], None] | None = None,
) -> SeedStats:
    """Fill an empty, migrated database with reproducible demo data; see the module doc."""
    started = time.perf_counter()
    if customers < 0:
        raise ValueError("customers must not be negative")
    now = DEFAULT_NOW if now is None else now
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    now_ts = int(now.timestamp())
    say = progress or (lambda _message: None)

    if not await database_is_empty(db):
        raise RuntimeError(
            "refusing to seed demo data: the database already has users or customers"
        )
    bases, counters = await _read_bases(db)

    n_sales = min(40, max(5, customers // 2000))
    users = _make_users(seed, n_sales, now_ts, bases["users"])
    products = _make_products(now_ts, bases["products"])
    catalogue = _Catalogue(products)
    async with db.write_session() as session, session.begin():
        taken = (
            await session.execute(select(Product.sku).where(Product.sku.in_(catalogue.skus)))
        ).scalars()
        if clash := sorted(taken):
            raise RuntimeError(f"refusing to seed demo data: products {clash} already exist")
        await session.execute(insert(User), users)
        await session.execute(insert(Product), products)
    say(f"users: {len(users)}, products: {len(products)}")

    stats = SeedStats(len(users), len(products), 0, 0, 0, 0, 0, 0, 0.0)
    if customers:
        role_ids = {role: [u["id"] for u in users if u["role"] == role] for role in Role}
        plan = _CustomerPlan(customers, seed, now_ts, n_sales)
        encoder = _SQLiteEncoder() if db.dialect == "sqlite" else _PostgresEncoder()
        generator = _ChunkGenerator(
            plan=plan,
            seed=seed,
            now_ts=now_ts,
            catalogue=catalogue,
            sales_ids=np.array(role_ids[Role.SALES], dtype=np.int64),
            manager_ids=np.array(role_ids[Role.MANAGER], dtype=np.int64),
            bases=bases,
            counters=counters,
            encoder=encoder,
        )
        writers: list[_Writer] = (
            [_SQLiteWriter(db)]
            if db.dialect == "sqlite"
            else [_PostgresWriter(db) for _ in range(POSTGRES_WRITERS)]
        )
        gc_was_enabled = gc.isenabled()
        gc.disable()  # millions of short-lived tuples: the cyclic collector only costs time
        try:
            await _run_pipeline(generator, writers, stats, say)
        finally:
            if gc_was_enabled:
                gc.enable()

        async with db.write_session() as session, session.begin():
            await set_counter_at_least(session, CUSTOMER, counters[CUSTOMER] + customers)
            await set_counter_at_least(
                session, QUOTATION, counters[QUOTATION] + generator.quotations_numbered
            )
            await set_counter_at_least(session, ORDER, counters[ORDER] + generator.orders_numbered)
    if db.dialect == "postgresql":
        await _postgres_finish(db, say)
    else:
        say("analyzing")
        async with db.engine.begin() as conn:
            await conn.exec_driver_sql("ANALYZE")  # the planner needs statistics at this size
    stats.seconds = round(time.perf_counter() - started, 3)
    say(f"done in {stats.seconds:.1f} s")
    return stats


# --------------------------------------------------------------------------------------
# Small fixed tables: users and products
# --------------------------------------------------------------------------------------

_ID_TABLES = (
    User, Product, Customer, CreditLimitHistory, Quotation, QuotationLine,
    QuotationStatusChange, Order, OrderLine, OrderStatusChange, Payment, CustomerInteraction,
    FollowUpTask,
)  # fmt: skip


async def _read_bases(db: Database) -> tuple[dict[str, int], dict[str, int]]:
    """First free id per table, and the current document counters (0 when never used)."""
    async with db.read_session() as session:
        bases = {}
        for model in _ID_TABLES:
            top = (await session.execute(select(func.max(model.id)))).scalar()
            bases[model.__tablename__] = (top or 0) + 1
        rows = (await session.execute(select(Counter.key, Counter.value))).all()
    values = {key: value for key, value in rows}
    counters = {key: values.get(key, 0) for key in (CUSTOMER, QUOTATION, ORDER)}
    return bases, counters


def _make_users(seed: int, n_sales: int, now_ts: int, first_id: int) -> list[dict[str, Any]]:
    rnd = random.Random(seed)
    password_hash = hash_password_sync(DEMO_PASSWORD)  # one Argon2 hash, shared by all
    roles = [Role.ADMIN] + [Role.MANAGER] * 2 + [Role.SALES] * n_sales + [Role.VIEWER] * 2
    names = [(f, la) for f in _FIRST_NAMES for la in _LAST_NAMES]
    chosen = rnd.sample(names, len(roles))
    created = _to_datetime(now_ts - (HISTORY_DAYS + 60) * _DAY)
    users, emails = [], set()
    for offset, (role, (first, last)) in enumerate(zip(roles, chosen, strict=True)):
        if role == Role.ADMIN:
            email = DEMO_ADMIN_EMAIL
        else:
            local = _slug(f"{first}.{last}", keep=".")
            email, n = f"{local}@sanvi.example", 2
            while email in emails:
                email, n = f"{local}{n}@sanvi.example", n + 1
        emails.add(email)
        users.append(
            {
                "id": first_id + offset,
                "email": email,
                "name": f"{first} {last}",
                "role": role,
                "password_hash": password_hash,
                "active": True,
                "created_at": created,
                "updated_at": created,
            }
        )
    return users


def _make_products(now_ts: int, first_id: int) -> list[dict[str, Any]]:
    created = _to_datetime(now_ts - (HISTORY_DAYS + 90) * _DAY)
    return [
        {
            "id": first_id + offset,
            "sku": sku,
            "name": name,
            "category": _CATEGORIES[category],
            "description": _CATEGORY_BLURB[category],
            "list_price": Decimal(price).quantize(Decimal("0.01")),
            "active": True,
            "created_at": created,
        }
        for offset, (sku, name, category, price) in enumerate(_PRODUCTS)
    ]


class _Catalogue:
    """Products as arrays, with per-business-type sampling tables and priced units."""

    def __init__(self, products: list[dict[str, Any]]) -> None:
        self.skus = [p["sku"] for p in products]
        self.names = [p["name"] for p in products]
        self.ids = np.array([p["id"] for p in products], dtype=np.int64)
        self.category = np.array([row[2] for row in _PRODUCTS], dtype=np.int64)
        prices = [p["list_price"] for p in products]
        self.list_paise = np.array([int(p * 100) for p in prices], dtype=np.int64)
        # Unit price per (product, discount level), from resolvers.money.
        self.unit_paise = np.array(
            [[int(discounted_unit_price(p, Decimal(d)) * 100) for d in _DISCOUNTS] for p in prices],
            dtype=np.int64,
        )
        self.discount_hundredths = np.array([int(Decimal(d) * 100) for d in _DISCOUNTS])
        # Within a category cheaper items sell more often.
        within = 1.0 / np.power(self.list_paise / 100.0, 0.25)
        table = np.zeros((4, len(products)))
        for t in range(4):
            for c in range(len(_CATEGORIES)):
                members = self.category == c
                if members.any():
                    share = within[members] / within[members].sum()
                    table[t, members] = _CATEGORY_P[t, c] * share
        self.product_cum = _cumulative(table)
        self.discount_cum = _cumulative(_DISCOUNT_P)


# --------------------------------------------------------------------------------------
# The plan: per-customer figures for everybody, as compact arrays
# --------------------------------------------------------------------------------------


class _CustomerPlan:
    """Who each customer is and how active, decided once so chunks stay consistent.

    Customers are created over the last three years at a rate that doubles over the
    period, in id order (codes increase with creation time). Prospects are mostly recent,
    inactive customers stopped buying at least six months ago. Expected document counts
    scale with the time a customer could trade, its business type and a gamma-distributed
    activity level, normalised so the averages per customer are the targets.
    """

    def __init__(self, n: int, seed: int, now_ts: int, n_sales: int) -> None:
        rng = np.random.default_rng([seed % 2**64, 1])
        now_day = _local_day(now_ts)
        self.now_day = now_day
        i = np.arange(n, dtype=np.float64)
        position = (i + rng.random(n)) / n
        x = (np.sqrt(1.0 + 3.0 * position) - 1.0) * HISTORY_DAYS
        whole = np.floor(x)
        self.created_day = (now_day - HISTORY_DAYS + whole).astype(np.int64)
        seconds = _OPEN + np.floor((x - whole) * _OPEN_SECONDS).astype(np.int64)
        self.created_ts = _at(self.created_day, seconds)
        age = (now_day - self.created_day).astype(np.float64)

        self.btype = rng.choice(4, n, p=_TYPE_P).astype(np.int8)
        u = rng.random(n)
        p_prospect = 0.03 + 0.35 * np.exp(-age / 120.0)
        p_inactive = np.where(age >= 240, 0.16 * (age - 240) / (HISTORY_DAYS - 240), 0.0)
        self.status = np.where(
            u < p_prospect, _PROSPECT, np.where(u < p_prospect + p_inactive, _INACTIVE, _ACTIVE)
        ).astype(np.int8)
        weights = np.array([s[2] for s in _STATES])
        self.state = rng.choice(len(_STATES), n, p=weights / weights.sum()).astype(np.int16)
        n_cities = np.array([len(s[4]) for s in _STATES])[self.state]
        self.city = np.floor(rng.random(n) ** 1.4 * n_cities).astype(np.int16)
        # Territories: each state is worked by three neighbouring reps.
        self.owner = ((self.state.astype(np.int64) * 7 + rng.integers(0, 3, n)) % n_sales).astype(
            np.int16
        )
        activity = rng.gamma(0.9, 1 / 0.9, n)

        self.start_day = self.created_day + 1
        last_day = now_day - 1
        stop = self.created_day + np.floor(age * rng.uniform(0.3, 0.8, n)).astype(np.int64)
        self.doc_end_day = np.where(
            self.status == _INACTIVE, np.minimum(stop, now_day - 180), last_day
        )
        self.doc_days = np.maximum(0, self.doc_end_day - self.start_day + 1)
        self.talk_days = np.maximum(0, last_day - self.start_day + 1)

        prospect = self.status == _PROSPECT
        w_q = self.doc_days * _MULT_Q[self.btype] * activity * np.where(prospect, 1.5, 1.0)
        w_o = self.doc_days * _MULT_O[self.btype] * activity * np.where(prospect, 0.0, 1.0)
        w_i = self.talk_days * _MULT_I[self.btype] * np.sqrt(activity) * np.where(prospect, 3, 1)
        self.lam_q = _normalise(w_q, QUOTATIONS_PER_CUSTOMER * n).astype(np.float32)
        self.lam_o = _normalise(w_o, ORDERS_PER_CUSTOMER * n).astype(np.float32)
        self.lam_i = _normalise(w_i, INTERACTIONS_PER_CUSTOMER * n).astype(np.float32)
        # Rows each customer is expected to bring: documents plus their lines, history
        # and payments (measured ratios), and the customer row with tags and credit.
        expected = 6.8 * self.lam_o + 6.0 * self.lam_q + 1.1 * self.lam_i + 2.5
        self.bounds = _chunk_bounds(expected)


def _chunk_bounds(expected_rows: np.ndarray) -> list[tuple[int, int]]:
    """Split customers into runs of about ``CHUNK_ROWS`` expected rows."""
    n = len(expected_rows)
    if n == 0:
        return []
    before = np.cumsum(expected_rows) - expected_rows
    bucket = np.floor(before / CHUNK_ROWS).astype(np.int64)
    starts = [0, *(np.nonzero(np.diff(bucket))[0] + 1).tolist()]
    bounds = []
    for lo, hi in zip(starts, [*starts[1:], n], strict=True):
        for a in range(lo, hi, CHUNK_CUSTOMERS):
            bounds.append((a, min(hi, a + CHUNK_CUSTOMERS)))
    return bounds


def _normalise(weights: np.ndarray, total: float) -> np.ndarray:
    s = weights.sum()
    return weights * (total / s) if s > 0 else np.zeros_like(weights, dtype=np.float64)


# --------------------------------------------------------------------------------------
# Chunk generation
# --------------------------------------------------------------------------------------


@dataclass
class _Chunk:
    index: int
    customers: int
    tables: list[tuple[str, tuple[str, ...], list[tuple[Any, ...]]]]
    counts: dict[str, int]


_CUSTOMER_COLUMNS = (
    "id", "code", "name", "business_type", "status", "email", "phone", "tax_id",
    "address_line1", "address_line2", "city", "state", "postal_code", "country", "owner_id",
    "credit_limit", "search_text", "version", "created_at", "updated_at",
)  # fmt: skip
# ``customers.credit_outstanding`` caches Σ (order total − payments) over orders not
# cancelled (resolvers/credit.py); filled in whenever the model has it.
_CACHES_OUTSTANDING = "credit_outstanding" in Customer.__table__.c
if _CACHES_OUTSTANDING:
    _CUSTOMER_COLUMNS = (*_CUSTOMER_COLUMNS, "credit_outstanding")
_LINE_COLUMNS = (
    "id", "position", "quantity", "list_price", "unit_price", "discount_percent", "line_total",
    "product_id", "pricing_rule_id",
)  # fmt: skip
_CHANGE_COLUMNS = ("id", "from_status", "to_status", "note", "changed_at", "changed_by_id")


class _ChunkGenerator:
    """Turns the plan into rows, one chunk of customers at a time, strictly in order."""

    def __init__(
        self,
        *,
        plan: _CustomerPlan,
        seed: int,
        now_ts: int,
        catalogue: _Catalogue,
        sales_ids: np.ndarray,
        manager_ids: np.ndarray,
        bases: dict[str, int],
        counters: dict[str, int],
        encoder: _Encoder,
    ) -> None:
        self.plan = plan
        self.seed = seed
        self.now_ts = now_ts
        self.cat = catalogue
        self.sales_ids = sales_ids
        self.manager_ids = manager_ids
        self.next_id = dict(bases)
        self.customer_number_base = counters[CUSTOMER]
        self.quotation_number_base = counters[QUOTATION]
        self.order_number_base = counters[ORDER]
        self.quotations_numbered = 0
        self.orders_numbered = 0
        self.enc = encoder
        # Subject pools: every template × product, so rows only index into shared strings.
        self.subjects: list[list[str]] = []
        for templates in _SUBJECTS:
            pool = []
            for template in templates:
                if "{p}" in template or "{c}" in template:
                    pool.extend(
                        template.format(p=name, c=_CATEGORIES[c].lower())
                        for name, c in zip(self.cat.names, self.cat.category.tolist(), strict=True)
                    )
                else:
                    pool.append(template)
            self.subjects.append(pool)
        self.task_titles_from_subject = [
            ["Follow up: " + s for s in pool] for pool in self.subjects
        ]
        self.tag_json = [json.dumps(list(t)) for t in _TAG_SETS]

    def _take_ids(self, table: str, count: int) -> np.ndarray:
        first = self.next_id[table]
        self.next_id[table] = first + count
        return np.arange(first, first + count, dtype=np.int64)

    def chunk(self, index: int) -> _Chunk:
        plan = self.plan
        lo, hi = plan.bounds[index]
        rng = np.random.default_rng([self.seed % 2**64, 2, index])
        view = _ChunkView(plan, lo, hi, self.sales_ids)
        tables: list[tuple[str, tuple[str, ...], list[tuple[Any, ...]]]] = []
        counts: dict[str, int] = {}

        view.ids = self.next_id["customers"] + np.arange(lo, hi, dtype=np.int64)
        quotes = self._quotations(rng, view, tables, counts)
        outstanding = self._orders(rng, view, quotes, tables, counts)
        self._interactions_and_tasks(rng, view, tables, counts)
        # Customers are generated last (they carry their outstanding) but inserted first.
        parents: list[tuple[str, tuple[str, ...], list[tuple[Any, ...]]]] = []
        limits = self._customers(rng, view, parents, counts, outstanding)
        self._credit_history(rng, view, limits, parents)
        return _Chunk(index=index, customers=hi - lo, tables=parents + tables, counts=counts)

    # -- customers --------------------------------------------------------------------

    def _customers(
        self,
        rng: np.random.Generator,
        v: _ChunkView,
        tables: list,
        counts: dict[str, int],
        outstanding: np.ndarray,
    ) -> np.ndarray:
        n = v.n
        enc = self.enc
        numbers = self.customer_number_base + 1 + np.arange(v.lo, v.hi)
        first = rng.integers(0, len(_FIRST_NAMES), n).tolist()
        last = rng.integers(0, len(_LAST_NAMES), n).tolist()
        pattern = rng.integers(0, 4, n).tolist()
        picks = rng.integers(0, 1 << 30, (n, 6)).tolist()
        has_email = (rng.random(n) >= np.where(v.btype == _IND, 0.15, 0.05)).tolist()
        has_phone = (rng.random(n) >= 0.02).tolist()
        has_line2 = (rng.random(n) < 0.45).tolist()
        gst_individual = (rng.random(n) < 0.10).tolist()
        phones = (
            rng.integers(6, 10, n) * 1_000_000_000 + rng.integers(0, 1_000_000_000, n)
        ).tolist()
        pan_core = (
            (np.arange(v.lo, v.hi, dtype=np.int64) * 104_729 + self.seed * 7_919 % _PAN_SPACE)
            % _PAN_SPACE
        ).tolist()

        limit = _credit_limits(rng, v.btype, outstanding)
        tag_hits = rng.random((n, len(_TAGS))) < _TAG_P[v.btype]

        created = enc.ts(v.created_ts)
        credit = enc.money(limit, limit >= 0)
        extra = [(x,) for x in enc.money(outstanding)] if _CACHES_OUTSTANDING else [()] * n
        owners = v.owner_ids.tolist()
        ids = v.ids.tolist()
        rows = []
        for k in range(n):
            t = int(v.btype[k])
            state_name, gst_code, _w, estate, cities = _STATES[v.state[k]]
            city, pin = cities[v.city[k]]
            number = int(numbers[k])
            code = format_number(CUSTOMER, number)
            p = picks[k]
            fn, ln = _FIRST_NAMES[first[k]], _LAST_NAMES[last[k]]
            if t == _IND:
                name = f"{fn} {ln}"
                email = f"{_slug(fn)}.{_slug(ln)}{number}@{_EMAIL_DOMAINS[p[0] % 5]}"
                line1 = f"{p[1] % 300 + 1}, {_ROADS[p[2] % len(_ROADS)]}"
                entity = "P"
            elif t == _SB:
                industry = _SB_INDUSTRIES[p[0] % len(_SB_INDUSTRIES)]
                suffix = _SB_SUFFIXES[p[3] % len(_SB_SUFFIXES)]
                if pattern[k] == 0:
                    name = f"{ln} {industry}{suffix}"
                elif pattern[k] == 1:
                    name = f"{_SB_PREFIXES[p[4] % len(_SB_PREFIXES)]} {industry}{suffix}"
                elif pattern[k] == 2:
                    name = f"{fn} {industry}{suffix}"
                else:
                    name = f"{city} {industry}{suffix}"
                email = _business_email(name, number, p)
                line1 = f"Plot No. {p[1] % 400 + 1}, {estate}"
                entity = "FCP"[p[5] % 3]
            elif t == _ENT:
                prefix = _ENT_PREFIXES[p[0] % len(_ENT_PREFIXES)]
                industry = _ENT_INDUSTRIES[p[4] % len(_ENT_INDUSTRIES)]
                name = f"{prefix} {industry}{_ENT_SUFFIXES[p[3] % len(_ENT_SUFFIXES)]}"
                email = _business_email(name, number, p)
                line1 = f"Plot No. {p[1] % 120 + 1}, {estate}"
                entity = "C"
            else:
                template, mailbox = _GOV_BODIES[p[0] % len(_GOV_BODIES)]
                name = template.format(city=city, state=state_name)
                email = f"{mailbox}.{number}@{_slug(state_name)}.gov.in"
                line1 = f"Office Complex, {_ROADS[p[2] % len(_ROADS)]}"
                entity = "G"
            if not has_email[k]:
                email = None
            phone = f"+91{phones[k]}" if has_phone[k] else None
            if t != _IND or gst_individual[k]:
                tax_id = _gstin(gst_code, pan_core[k], entity, ln if t == _IND else name, p[5])
            else:
                tax_id = None
            line2 = (
                (_LANDMARKS[p[3] % len(_LANDMARKS)] if t == _IND else f"Sector {p[4] % 30 + 1}")
                if has_line2[k]
                else None
            )
            postal = f"{pin}{p[2] % 1000:03d}"
            search = customer_search_text(
                name=name, code=code, email=email, phone=phone, tax_id=tax_id
            )
            rows.append(
                (ids[k], code, name, _BUSINESS_TYPES[t].value, _STATUSES[v.status[k]].value,
                 email, phone, tax_id, line1, line2, city, state_name, postal, "IN", owners[k],
                 credit[k], search, 1, created[k], created[k], *extra[k])
            )  # fmt: skip
        tables.append(("customers", _CUSTOMER_COLUMNS, rows))
        counts["customers"] = n

        who, which = np.nonzero(tag_hits)
        tag_rows = list(zip(v.ids[who].tolist(), [_TAGS[j] for j in which.tolist()], strict=True))
        tables.append(("customer_tags", ("customer_id", "tag"), tag_rows))
        return limit

    def _credit_history(
        self, rng: np.random.Generator, v: _ChunkView, limit: np.ndarray, tables: list
    ) -> None:
        has = np.nonzero(limit >= 0)[0]
        ids = self._take_ids("credit_limit_history", len(has))
        by = self.manager_ids[rng.integers(0, len(self.manager_ids), len(has))]
        enc = self.enc
        rows = list(
            zip(
                ids.tolist(),
                v.ids[has].tolist(),
                [None] * len(has),
                enc.money(limit[has]),
                ["Initial credit limit"] * len(has),
                by.tolist(),
                enc.ts(v.created_ts[has]),
                strict=True,
            )
        )
        columns = ("id", "customer_id", "old_limit", "new_limit", "reason", "changed_by_id",
                   "changed_at")  # fmt: skip
        tables.append(("credit_limit_history", columns, rows))

    # -- priced lines -----------------------------------------------------------------

    def _lines(
        self, rng: np.random.Generator, doc_type: np.ndarray
    ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """1-3 lines per document: returns lines per document and the line arrays."""
        per_doc = rng.choice(np.array([1, 2, 3]), len(doc_type), p=[0.35, 0.30, 0.35])
        doc = np.repeat(np.arange(len(doc_type)), per_doc)
        position = _positions(per_doc) + 1
        ltype = doc_type[doc]
        product = _choose(rng, ltype, self.cat.product_cum)
        for _ in range(100):  # a product appears once per document: redraw repeats
            key = doc * 1000 + product
            order = np.argsort(key, kind="stable")
            sorted_key = key[order]
            dup = np.zeros(len(key), dtype=bool)
            dup[order[1:]] = sorted_key[1:] == sorted_key[:-1]
            if not dup.any():
                break
            product[dup] = _choose(rng, ltype[dup], self.cat.product_cum)
        category = self.cat.category[product]
        quantity = np.minimum(rng.geometric(_QTY_P[category]), _QTY_MAX[category])
        discount = _choose(rng, ltype, self.cat.discount_cum)
        unit = self.cat.unit_paise[product, discount]
        return per_doc, {
            "doc": doc,
            "position": position,
            "product": product,
            "quantity": quantity,
            "discount": discount,
            "unit": unit,
            "total": unit * quantity,
        }

    def _line_rows(self, ids: np.ndarray, lines: dict[str, np.ndarray], parent: np.ndarray):
        enc = self.enc
        cat = self.cat
        n = len(ids)
        return list(
            zip(
                ids.tolist(),
                lines["position"].tolist(),
                lines["quantity"].tolist(),
                enc.money_lookup(cat.list_paise, lines["product"]),
                enc.money_lookup(cat.unit_paise.ravel(), lines["product"] * 5 + lines["discount"]),
                enc.percent_lookup(cat.discount_hundredths, lines["discount"]),
                enc.money(lines["total"]),
                cat.ids[lines["product"]].tolist(),
                [None] * n,
                parent.tolist(),
                strict=True,
            )
        )

    # -- quotations -------------------------------------------------------------------

    def _quotations(
        self, rng: np.random.Generator, v: _ChunkView, tables: list, counts: dict[str, int]
    ) -> dict[str, np.ndarray]:
        now = self.now_ts
        enc = self.enc
        per_customer = np.minimum(rng.poisson(v.lam_q), 200)
        cust = np.repeat(np.arange(v.n), per_customer)
        q = len(cust)
        day = v.start_day[cust] + np.floor(rng.random(q) * v.doc_days[cust]).astype(np.int64)
        created = _at(day, _OPEN + rng.integers(0, _OPEN_SECONDS, q))
        order = np.lexsort((created, cust))
        cust, day, created = cust[order], day[order], created[order]
        btype = v.btype[cust]
        prospect = v.status[cust] == _PROSPECT

        per_doc, lines = self._lines(rng, btype)
        starts = np.cumsum(per_doc) - per_doc
        total = np.add.reduceat(lines["total"], starts) if q else np.zeros(0, np.int64)

        sent = created + rng.integers(1800, 3 * _DAY, q)
        is_sent = sent <= now
        valid_until = day + _QUOTATION_VALIDITY_DAYS
        u = rng.random(q)
        p_accept = np.where(prospect, 0.0, _ACCEPT_P[btype])
        accepted = u < p_accept
        rejected = ~accepted & (u < p_accept + _REJECT_P)
        decided_at = sent + rng.integers(_DAY, 25 * _DAY, q)
        expires_at = _at(valid_until + 1, 1800)  # the nightly expiry run, 00:30 local
        decided = is_sent & (accepted | rejected) & (decided_at <= now)
        expired = is_sent & ~accepted & ~rejected & (expires_at <= now)
        status = np.full(q, 0, dtype=np.int64)  # DRAFT
        status[is_sent] = 1  # SENT
        status[decided & accepted] = 2
        status[decided & rejected] = 3
        status[expired] = 4
        final_at = np.where(expired, expires_at, decided_at)
        updated = np.where(status >= 2, final_at, np.where(is_sent, sent, created))

        creator = np.where(rng.random(q) < 0.9, v.owner_ids[cust], self._managers(rng, q))
        ids = self._take_ids("quotations", q)
        numbers = self.quotation_number_base + self.quotations_numbered + 1 + np.arange(q)
        self.quotations_numbered += q
        statuses = [s.value for s in QuotationStatus]
        status_names = np.array(statuses, dtype=object)[status].tolist()
        created_l = enc.ts(created)
        rows = list(
            zip(
                ids.tolist(),
                [format_number(QUOTATION, n) for n in numbers.tolist()],
                v.ids[cust].tolist(),
                status_names,
                enc.date(valid_until),
                enc.money(total),
                _pick(rng, _QUOTATION_NOTES, q),
                enc.ts(sent, is_sent),
                creator.tolist(),
                created_l,
                enc.ts(updated),
                strict=True,
            )
        )
        columns = ("id", "number", "customer_id", "status", "valid_until", "total", "notes",
                   "sent_at", "created_by_id", "created_at", "updated_at")  # fmt: skip
        tables.append(("quotations", columns, rows))
        line_ids = self._take_ids("quotation_lines", len(lines["doc"]))
        tables.append(
            (
                "quotation_lines",
                (*_LINE_COLUMNS, "quotation_id"),
                self._line_rows(line_ids, lines, ids[lines["doc"]]),
            )
        )

        # Status history: created as DRAFT, then SENT, then the outcome.
        has_final = status >= 2
        doc = np.concatenate([np.arange(q), np.nonzero(is_sent)[0], np.nonzero(has_final)[0]])
        step = np.repeat(np.arange(3), [q, int(is_sent.sum()), int(has_final.sum())])
        order = np.lexsort((step, doc))
        doc, step = doc[order], step[order]
        m = len(doc)
        to_status = np.where(step == 0, 0, np.where(step == 1, 1, status[doc]))
        from_status = np.where(step == 0, -1, np.where(step == 1, 0, 1))
        at = np.where(step == 0, created[doc], np.where(step == 1, sent[doc], final_at[doc]))
        by_system = (step == 2) & (to_status == 4)
        note_pick = rng.integers(0, len(_REJECT_REASONS), m)
        notes = [
            None if s == 0 else "Sent by email" if s == 1 else _FINAL_NOTE[t] or _REJECT_REASONS[r]
            for s, t, r in zip(step.tolist(), to_status.tolist(), note_pick.tolist(), strict=True)
        ]
        change_ids = self._take_ids("quotation_status_changes", m)
        from_names = [None, *statuses]
        rows = list(
            zip(
                change_ids.tolist(),
                [from_names[f + 1] for f in from_status.tolist()],
                np.array(statuses, dtype=object)[to_status].tolist(),
                notes,
                enc.ts(at),
                _nullable(creator[doc].tolist(), ~by_system),
                ids[doc].tolist(),
                strict=True,
            )
        )
        tables.append(("quotation_status_changes", (*_CHANGE_COLUMNS, "quotation_id"), rows))
        counts["quotations"] = q
        return {
            "cust": cust,
            "ids": ids,
            "numbers": numbers,
            "accepted_at": np.where(status == 2, decided_at, -1),
            "line_doc": lines["doc"],
            "lines": lines,  # type: ignore[dict-item]
        }

    def _managers(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return self.manager_ids[rng.integers(0, len(self.manager_ids), n)]

    # -- orders, their history and payments -------------------------------------------

    def _orders(
        self,
        rng: np.random.Generator,
        v: _ChunkView,
        quotes: dict[str, Any],
        tables: list,
        counts: dict[str, int],
    ) -> np.ndarray:
        """Orders with lines, history and payments; returns each customer's outstanding."""
        now = self.now_ts
        enc = self.enc
        # Orders placed against accepted quotations, a few days after acceptance.
        accepted_at = quotes["accepted_at"]
        placed_day = _local_day(accepted_at) + rng.integers(0, 6, len(accepted_at))
        placed = _at(placed_day, _OPEN + rng.integers(0, _OPEN_SECONDS, len(accepted_at)))
        placed = np.maximum(placed, accepted_at + _HOUR)
        converted = (accepted_at >= 0) & (rng.random(len(accepted_at)) < _CONVERT_P)
        converted &= placed <= now
        conv_q = np.nonzero(converted)[0]
        conv_cust = quotes["cust"][conv_q]
        # The rest of each customer's orders, spread over the time it could trade.
        wanted = np.minimum(rng.poisson(v.lam_o), 600)
        random_count = np.maximum(0, wanted - np.bincount(conv_cust, minlength=v.n))
        rand_cust = np.repeat(np.arange(v.n), random_count)
        r = len(rand_cust)
        day = v.start_day[rand_cust] + np.floor(rng.random(r) * v.doc_days[rand_cust]).astype(
            np.int64
        )
        rand_ts = _at(day, _OPEN + rng.integers(0, _OPEN_SECONDS, r))

        cust = np.concatenate([conv_cust, rand_cust])
        ts = np.concatenate([placed[conv_q], rand_ts])
        quotation = np.concatenate([conv_q, np.full(r, -1)])
        o = len(cust)
        # Lines: copied from the quotation, or new.
        qlines = quotes["lines"]
        conv_rank = np.cumsum(converted) - 1
        take = converted[qlines["doc"]]
        _per_doc, new_lines = self._lines(rng, v.btype[rand_cust])
        lines = {
            key: np.concatenate([qlines[key][take], new_lines[key]])
            for key in ("position", "product", "quantity", "discount", "unit", "total")
        }
        old_doc = np.concatenate([conv_rank[qlines["doc"][take]], len(conv_q) + new_lines["doc"]])

        order = np.lexsort((ts, cust))
        cust, ts, quotation = cust[order], ts[order], quotation[order]
        rank = np.empty(o, dtype=np.int64)
        rank[order] = np.arange(o)
        doc = rank[old_doc]
        line_order = np.lexsort((lines["position"], doc))
        lines = {key: value[line_order] for key, value in lines.items()}
        doc = doc[line_order]
        lines["doc"] = doc
        per_order = np.bincount(doc, minlength=o)
        total = (
            np.add.reduceat(lines["total"], np.cumsum(per_order) - per_order)
            if o
            else np.zeros(0, np.int64)
        )

        order_date = _local_day(ts)
        cancel = rng.random(o) < 0.03
        cancel_at = ts + rng.integers(_HOUR, 4 * _DAY, o)
        cancelled = cancel & (cancel_at <= now)
        ship_at = ts + rng.integers(_DAY, 7 * _DAY, o)
        deliver_at = ship_at + rng.integers(_DAY, 10 * _DAY, o)
        shipped = ~cancel & (ship_at <= now)
        delivered = shipped & (deliver_at <= now)
        status = np.zeros(o, dtype=np.int64)  # CONFIRMED
        status[shipped] = 1
        status[delivered] = 2
        status[cancelled] = 3
        updated = np.select(
            [cancelled, delivered, shipped], [cancel_at, deliver_at, ship_at], default=ts
        )

        creator = v.owner_ids[cust]
        ids = self._take_ids("orders", o)
        numbers = self.order_number_base + self.orders_numbered + 1 + np.arange(o)
        self.orders_numbered += o
        from_quote = quotation >= 0
        quote_pick = np.where(from_quote, quotation, -1)  # -1 picks the padding below
        quote_numbers = np.append(quotes["numbers"], 0)[quote_pick]
        quote_ids = np.append(quotes["ids"], 0)[quote_pick]
        free_notes = _pick(rng, _ORDER_NOTES, o)
        notes = [
            f"Against {format_number(QUOTATION, n)}" if f else note
            for f, n, note in zip(
                from_quote.tolist(), quote_numbers.tolist(), free_notes, strict=True
            )
        ]
        statuses = [s.value for s in OrderStatus]
        rows = list(
            zip(
                ids.tolist(),
                [format_number(ORDER, n) for n in numbers.tolist()],
                v.ids[cust].tolist(),
                _nullable(quote_ids.tolist(), from_quote),
                np.array(statuses, dtype=object)[status].tolist(),
                enc.date(order_date),
                enc.date(order_date + _PAYMENT_TERMS_DAYS),
                enc.money(total),
                notes,
                creator.tolist(),
                enc.ts(ts),
                enc.ts(updated),
                strict=True,
            )
        )
        columns = ("id", "number", "customer_id", "quotation_id", "status", "order_date",
                   "due_date", "total", "notes", "created_by_id", "created_at",
                   "updated_at")  # fmt: skip
        tables.append(("orders", columns, rows))
        line_ids = self._take_ids("order_lines", len(doc))
        tables.append(
            (
                "order_lines",
                (*_LINE_COLUMNS, "order_id"),
                self._line_rows(line_ids, lines, ids[doc]),
            )
        )

        # History: CONFIRMED, then SHIPPED or CANCELLED, then DELIVERED.
        second = shipped | cancelled
        doc = np.concatenate([np.arange(o), np.nonzero(second)[0], np.nonzero(delivered)[0]])
        step = np.repeat(np.arange(3), [o, int(second.sum()), int(delivered.sum())])
        order = np.lexsort((step, doc))
        doc, step = doc[order], step[order]
        m = len(doc)
        is_cancel = (step == 1) & cancelled[doc]
        to_status = np.where(step == 0, 0, np.where(step == 2, 2, np.where(is_cancel, 3, 1)))
        from_status = np.where(step == 0, -1, np.where(step == 2, 1, 0))
        at = np.select(
            [step == 0, is_cancel, step == 1], [ts[doc], cancel_at[doc], ship_at[doc]],
            default=deliver_at[doc],
        )  # fmt: skip
        pick = rng.integers(0, 1 << 30, m).tolist()
        change_notes = [
            None if t == 0 else _ORDER_CHANGE_NOTES[t][p % len(_ORDER_CHANGE_NOTES[t])]
            for t, p in zip(to_status.tolist(), pick, strict=True)
        ]
        by = np.where(is_cancel & (rng.random(m) < 0.3), self._managers(rng, m), creator[doc])
        change_ids = self._take_ids("order_status_changes", m)
        from_names = [None, *statuses]
        rows = list(
            zip(
                change_ids.tolist(),
                [from_names[f + 1] for f in from_status.tolist()],
                np.array(statuses, dtype=object)[to_status].tolist(),
                change_notes,
                enc.ts(at),
                by.tolist(),
                ids[doc].tolist(),
                strict=True,
            )
        )
        tables.append(("order_status_changes", (*_CHANGE_COLUMNS, "order_id"), rows))

        # Payments against delivered orders: mostly in full, some partly, some not yet.
        recent = deliver_at > now - 60 * _DAY
        u = rng.random(o)
        full = np.where(recent, u < 0.70, u < 0.90)
        partial = ~full & np.where(recent, u < 0.80, u < 0.96)
        paid_at = deliver_at + rng.integers(0, 50 * _DAY, o)
        pays = delivered & (full | partial) & (paid_at <= now)
        share = rng.uniform(0.2, 0.9, o)
        amount = np.where(full, total, np.maximum(1, np.floor(total * share).astype(np.int64)))
        idx = np.nonzero(pays)[0]
        p = len(idx)
        amount = amount[idx]
        method = rng.choice(len(_PAY_METHODS), p, p=_PAY_METHOD_P)
        method[amount > _METHOD_LIMIT_PAISE[method]] = 0  # large amounts go by bank transfer
        ref_number = rng.integers(10**11, 10**12, p).tolist()
        pay_ids = self._take_ids("payments", p)
        methods = [m.value for m in _PAY_METHODS]
        paid_l = enc.ts(paid_at[idx])
        rows = list(
            zip(
                pay_ids.tolist(),
                ids[idx].tolist(),
                v.ids[cust[idx]].tolist(),
                enc.money(amount),
                paid_l,
                [methods[k] for k in method.tolist()],
                [
                    _payment_reference(k, n, pid)
                    for k, n, pid in zip(method.tolist(), ref_number, pay_ids.tolist(), strict=True)
                ],
                self._managers(rng, p).tolist(),
                paid_l,
                strict=True,
            )
        )
        columns = ("id", "order_id", "customer_id", "amount", "paid_at", "method", "reference",
                   "recorded_by_id", "created_at")  # fmt: skip
        tables.append(("payments", columns, rows))
        counts["orders"] = o
        counts["payments"] = p
        # Exposure per customer: totals of orders not cancelled less what was paid on them.
        outstanding = np.zeros(v.n, dtype=np.int64)
        live = status != 3
        np.add.at(outstanding, cust[live], total[live])
        np.subtract.at(outstanding, cust[idx], amount)
        return outstanding

    # -- interactions and follow-up tasks ---------------------------------------------

    def _interactions_and_tasks(
        self, rng: np.random.Generator, v: _ChunkView, tables: list, counts: dict[str, int]
    ) -> None:
        now = self.now_ts
        now_day = self.plan.now_day
        enc = self.enc
        per_customer = np.minimum(rng.poisson(v.lam_i), 300)
        cust = np.repeat(np.arange(v.n), per_customer)
        n = len(cust)
        day = v.start_day[cust] + np.floor(rng.random(n) * v.talk_days[cust]).astype(np.int64)
        at = _at(day, _OPEN + rng.integers(0, _OPEN_SECONDS, n))
        order = np.lexsort((at, cust))
        cust, day, at = cust[order], day[order], at[order]

        kind = rng.choice(5, n, p=_KIND_P)
        pools = [len(pool) for pool in self.subjects]
        subject = np.floor(rng.random(n) * np.array(pools)[kind]).astype(np.int64)
        age = now_day - day
        u = rng.random(n)
        pending = ((age < 3) & (u < 0.5)) | (u > 0.98)
        cancelled = ~pending & (u < 0.04) & ((kind == _CALL) | (kind == _MEETING))
        status = np.where(pending, 0, np.where(cancelled, 2, 1))  # PENDING/CANCELLED/COMPLETED
        has_outcome = (status == 1) & (kind != _NOTE)
        duration = np.select(
            [kind == _CALL, kind == _MEETING, kind == _FOLLOW_UP],
            [rng.integers(3, 41, n), rng.integers(30, 151, n), rng.integers(5, 21, n)],
            default=0,
        )
        has_duration = (kind == _CALL) | (kind == _MEETING) | (kind == _FOLLOW_UP)
        follow_up = (rng.random(n) < 0.2) & (status != 2)
        follow_up_day = day + rng.integers(2, 15, n)
        owner = v.owner_ids[cust]
        author = np.where(
            rng.random(n) < 0.85, owner, self.sales_ids[rng.integers(0, len(self.sales_ids), n)]
        )
        ids = self._take_ids("customer_interactions", n)
        kinds = [k.value for k in _KINDS]
        statuses = (InteractionStatus.PENDING, InteractionStatus.COMPLETED,
                    InteractionStatus.CANCELLED)  # fmt: skip
        status_names = [st.value for st in statuses]
        subjects = [
            self.subjects[k][s] for k, s in zip(kind.tolist(), subject.tolist(), strict=True)
        ]
        notes = _pick(rng, (*_NOTES, None, None, None, None, None), n)
        outcomes = _nullable(_pick(rng, _OUTCOMES, n), has_outcome)
        at_l = enc.ts(at)
        rows = list(
            zip(
                ids.tolist(),
                v.ids[cust].tolist(),
                [kinds[k] for k in kind.tolist()],
                subjects,
                notes,
                [_PRIORITIES[k].value for k in rng.choice(4, n, p=[0.25, 0.5, 0.2, 0.05]).tolist()],
                [status_names[s] for s in status.tolist()],
                outcomes,
                at_l,
                _nullable(duration.tolist(), has_duration),
                _pick(rng, self.tag_json, n),
                enc.boolean(follow_up),
                enc.date(follow_up_day, follow_up),
                author.tolist(),
                at_l,
                at_l,
                strict=True,
            )
        )
        columns = ("id", "customer_id", "kind", "subject", "notes", "priority", "status",
                   "outcome", "occurred_at", "duration_minutes", "tags", "follow_up_required",
                   "follow_up_date", "created_by_id", "created_at", "updated_at")  # fmt: skip
        tables.append(("customer_interactions", columns, rows))
        counts["interactions"] = n

        # Tasks: from a third of the follow-ups asked for, plus manual ones (many current).
        from_int = np.nonzero(follow_up & (rng.random(n) < 0.3))[0]
        manual_cust = np.nonzero((rng.random(v.n) < 0.2) & (v.talk_days > 0))[0]
        t_man = len(manual_cust)
        current = rng.random(t_man) < 0.5
        hist_day = v.start_day[manual_cust] + np.floor(
            rng.random(t_man) * v.talk_days[manual_cust]
        ).astype(np.int64)
        hist_at = _at(hist_day, _OPEN + rng.integers(0, _OPEN_SECONDS, t_man))
        recent_day = np.maximum(now_day - rng.integers(1, 11, t_man), v.start_day[manual_cust])
        recent_at = _at(recent_day, _OPEN + rng.integers(0, _OPEN_SECONDS, t_man))
        man_created = np.where(current, recent_at, hist_at)
        man_due_day = _local_day(man_created) + rng.integers(1, 15, t_man)

        t_cust = np.concatenate([cust[from_int], manual_cust])
        created = np.concatenate([at[from_int] + 600, man_created])
        due = np.concatenate(
            [
                _at(follow_up_day[from_int], 11 * _HOUR),
                _at(man_due_day, 11 * _HOUR),
            ]
        )
        interaction = np.concatenate([ids[from_int], np.full(t_man, -1)])
        title_pick = rng.integers(0, len(_TASK_TITLES), t_man).tolist()
        titles = [
            self.task_titles_from_subject[k][s]
            for k, s in zip(kind[from_int].tolist(), subject[from_int].tolist(), strict=True)
        ] + [_TASK_TITLES[k] for k in title_pick]
        order = np.lexsort((created, t_cust))
        t_cust, created, due, interaction = (
            t_cust[order], created[order], due[order], interaction[order],
        )  # fmt: skip
        titles = [titles[k] for k in order.tolist()]
        t = len(t_cust)
        u = rng.random(t)
        overdue_long = due < now - 3 * _DAY
        status = np.where(
            overdue_long, np.where(u < 0.9, 1, 2), np.where(u < 0.8, 0, 1)
        )  # OPEN/COMPLETED/CANCELLED
        late = rng.integers(-2 * _DAY, 2 * _DAY, t)
        done_at = np.where(
            overdue_long,
            np.clip(due + late, created + 600, now),
            created + np.floor(rng.random(t) * (now - created)).astype(np.int64),
        )
        completed = status == 1
        cancelled = status == 2
        updated = np.where(completed, done_at, np.where(cancelled, np.minimum(due, now), created))
        assignee = v.owner_ids[t_cust]
        creator = np.where(rng.random(t) < 0.8, assignee, self._managers(rng, t))
        outcome = [
            (_TASK_OUTCOMES[p % len(_TASK_OUTCOMES)] if s == 1 else
             _TASK_CANCEL_OUTCOMES[p % 3] if s == 2 else None)
            for s, p in zip(status.tolist(), rng.integers(0, 1 << 30, t).tolist(), strict=True)
        ]  # fmt: skip
        task_ids = self._take_ids("follow_up_tasks", t)
        task_statuses = [TaskStatus.OPEN.value, TaskStatus.COMPLETED.value,
                         TaskStatus.CANCELLED.value]  # fmt: skip
        from_interaction = interaction >= 0
        rows = list(
            zip(
                task_ids.tolist(),
                v.ids[t_cust].tolist(),
                _nullable(interaction.tolist(), from_interaction),
                [None] * t,
                titles,
                _pick(rng, _TASK_DESCRIPTIONS, t),
                assignee.tolist(),
                creator.tolist(),
                enc.ts(due),
                [_PRIORITIES[k].value for k in rng.choice(4, t, p=[0.2, 0.5, 0.25, 0.05]).tolist()],
                [task_statuses[s] for s in status.tolist()],
                enc.ts(done_at, completed),
                _nullable(assignee.tolist(), completed),
                outcome,
                [
                    TaskSource.INTERACTION.value if f else TaskSource.MANUAL.value
                    for f in from_interaction.tolist()
                ],
                enc.ts(created),
                enc.ts(updated),
                strict=True,
            )
        )
        columns = ("id", "customer_id", "interaction_id", "quotation_id", "title",
                   "description", "assignee_id", "created_by_id", "due_at", "priority", "status",
                   "completed_at", "completed_by_id", "outcome", "source", "created_at",
                   "updated_at")  # fmt: skip
        tables.append(("follow_up_tasks", columns, rows))
        counts["tasks"] = t


_FINAL_NOTE = {2: "Purchase order received", 3: None, 4: "Validity period ended"}
_ORDER_CHANGE_NOTES = {1: _SHIP_NOTES, 2: _DELIVER_NOTES, 3: _CANCEL_NOTES}


class _ChunkView:
    """The plan's arrays for one chunk of customers (local index 0..n-1)."""

    def __init__(self, plan: _CustomerPlan, lo: int, hi: int, sales_ids: np.ndarray) -> None:
        self.lo, self.hi, self.n = lo, hi, hi - lo
        self.ids = np.zeros(0, dtype=np.int64)
        self.created_ts = plan.created_ts[lo:hi]
        self.btype = plan.btype[lo:hi].astype(np.int64)
        self.status = plan.status[lo:hi]
        self.state = plan.state[lo:hi].tolist()
        self.city = plan.city[lo:hi].tolist()
        self.owner_ids = sales_ids[plan.owner[lo:hi].astype(np.int64)]
        self.start_day = plan.start_day[lo:hi]
        self.doc_days = plan.doc_days[lo:hi]
        self.talk_days = plan.talk_days[lo:hi]
        self.lam_q = plan.lam_q[lo:hi].astype(np.float64)
        self.lam_o = plan.lam_o[lo:hi].astype(np.float64)
        self.lam_i = plan.lam_i[lo:hi].astype(np.float64)


# --------------------------------------------------------------------------------------
# Helpers for generation
# --------------------------------------------------------------------------------------

_PAN_SPACE = 26**3 * 10_000  # three letters and four digits of a PAN
_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _gstin(state_code: str, core: int, entity: str, name: str, pick: int) -> str:
    """A GSTIN with a valid check character, unique per ``core``.

    Layout: state code, PAN (three letters, holder type, initial, four digits, letter),
    entity number, 'Z', check character.
    """
    letters, digits = divmod(core, 10_000)
    a, rest = divmod(letters, 676)
    b, c = divmod(rest, 26)
    initial = next((ch for ch in name.upper() if ch in _LETTERS), "X")
    pan = (
        f"{_LETTERS[a]}{_LETTERS[b]}{_LETTERS[c]}{entity}{initial}{digits:04d}{_LETTERS[pick % 26]}"
    )
    body = f"{state_code}{pan}{1 + pick % 3}Z"
    total = 0
    for position, ch in enumerate(body):
        product = _ALNUM.index(ch) * (2 if position % 2 else 1)
        total += product // 36 + product % 36
    return body + _ALNUM[(36 - total % 36) % 36]


def _slug(value: str, keep: str = "") -> str:
    return "".join(ch for ch in value.lower() if ch.isalnum() or ch in keep)


def _business_email(name: str, number: int, picks: list[int]) -> str:
    words = [_slug(w) for w in name.split()]
    domain = "".join(w for w in words[:2] if w) or "company"
    mailbox = _BUSINESS_MAILBOXES[picks[5] % len(_BUSINESS_MAILBOXES)]
    return f"{mailbox}.{number}@{domain}.{_BUSINESS_TLDS[picks[4] % 3]}"


def _credit_limits(
    rng: np.random.Generator, btype: np.ndarray, outstanding: np.ndarray
) -> np.ndarray:
    """Limits in paise; -1 means no limit (NULL).

    A limit starts as a round figure typical of the business type. For customers who owe
    money it is sized from what they owe, so utilisation looks like a real ledger: most
    customers comfortably within their limit, a tail at WARNING and CRITICAL, a few over
    (those limits are rounded down, so they stay over). Only customers who owe nothing
    get a limit of 0 (cash-and-carry).
    """
    n = len(btype)
    u = rng.random(n)
    pick = rng.integers(0, 1 << 30, n)
    typical = np.empty(n, dtype=np.int64)
    for t, choices in enumerate(_CREDIT_CHOICES):
        members = btype == t
        options = np.array(choices, dtype=np.int64) * 100
        typical[members] = options[pick[members] % len(options)]
    band = rng.choice(len(_UTILISATION_P), n, p=_UTILISATION_P)
    utilisation = rng.uniform(_UTILISATION_LOW[band], _UTILISATION_HIGH[band])
    exceeded = band == len(_UTILISATION_P) - 1
    sized = _round_figure(outstanding / utilisation, up=~exceeded)
    owes = outstanding > 0
    limit = np.where(owes, np.where(band == 0, np.maximum(typical, sized), sized), typical)
    none_p = _CREDIT_NONE_P[btype]
    limit[(u >= none_p) & (u < none_p + _CREDIT_ZERO_P[btype]) & ~owes] = 0
    limit[u < none_p] = -1
    return limit


def _round_figure(paise: np.ndarray, up: np.ndarray) -> np.ndarray:
    """Two significant figures in rupees (at least thousands), rounded up or down."""
    rupees = paise / 100.0
    digits = np.floor(np.log10(np.maximum(rupees, 1.0))) - 1
    step = np.power(10.0, np.maximum(digits, 3))
    figure = np.where(up, np.ceil(rupees / step), np.floor(rupees / step)) * step
    return figure.astype(np.int64) * 100


def _payment_reference(method: int, number: int, payment_id: int) -> str | None:
    if method == 0:
        return f"UTR{number}"
    if method == 1:
        return f"UPI/{number}"
    if method == 2:
        return f"CHQ {number % 1_000_000:06d}"
    if method == 3:
        return f"CARD XXXX{number % 10_000:04d}"
    return f"RCPT-{payment_id}"


def _cumulative(p: np.ndarray) -> np.ndarray:
    cum = np.cumsum(p / p.sum(axis=1, keepdims=True), axis=1)
    cum[:, -1] = 1.0
    return cum


def _choose(rng: np.random.Generator, group: np.ndarray, cum: np.ndarray) -> np.ndarray:
    """One draw per row from the categorical distribution of the row's group."""
    u = rng.random(len(group))
    out = np.empty(len(group), dtype=np.int64)
    for g in range(cum.shape[0]):
        members = group == g
        out[members] = np.searchsorted(cum[g], u[members], side="right")
    return out


def _positions(counts: np.ndarray) -> np.ndarray:
    """0-based position of each item within its group, for groups of the given sizes."""
    total = int(counts.sum())
    starts = np.cumsum(counts) - counts
    return np.arange(total, dtype=np.int64) - np.repeat(starts, counts)


def _pick(rng: np.random.Generator, options: Sequence[Any], n: int) -> list[Any]:
    pool = list(options)
    return [pool[k] for k in rng.integers(0, len(pool), n).tolist()]


def _nullable(values: list[Any], present: np.ndarray) -> list[Any]:
    return [x if ok else None for x, ok in zip(values, present.tolist(), strict=True)]


def _at(day: Any, seconds: Any) -> Any:
    """UTC epoch seconds of a local (IST) day number and seconds into that day."""
    return day * _DAY + seconds - _IST


def _local_day(ts: Any) -> Any:
    return (ts + _IST) // _DAY


def _to_datetime(ts: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(ts, dt.UTC)


# --------------------------------------------------------------------------------------
# Encoding values the way the column types store them
# --------------------------------------------------------------------------------------


class _Encoder:
    def ts(self, seconds: np.ndarray, present: np.ndarray | None = None) -> list[Any]:
        raise NotImplementedError

    def date(self, days: np.ndarray, present: np.ndarray | None = None) -> list[Any]:
        raise NotImplementedError

    def money(self, paise: np.ndarray, present: np.ndarray | None = None) -> list[Any]:
        raise NotImplementedError

    def money_lookup(self, table: np.ndarray, index: np.ndarray) -> list[Any]:
        raise NotImplementedError

    def percent_lookup(self, table: np.ndarray, index: np.ndarray) -> list[Any]:
        raise NotImplementedError

    def boolean(self, values: np.ndarray) -> list[Any]:
        raise NotImplementedError


class _SQLiteEncoder(_Encoder):
    """Exactly what ``UTCDateTime``, ``Money``, ``Percent``, ``Date`` bind on SQLite."""

    def __init__(self) -> None:
        self._clock = [
            f" {h:02d}:{m:02d}:{s:02d}.000000"
            for h in range(24)
            for m in range(60)
            for s in range(60)
        ]

    @staticmethod
    def _day_strings(lo: int, hi: int) -> list[str]:
        days = np.arange(lo, hi + 1).astype("datetime64[D]")
        return np.datetime_as_string(days, unit="D").tolist()

    def ts(self, seconds: np.ndarray, present: np.ndarray | None = None) -> list[Any]:
        if len(seconds) == 0:
            return []
        if present is not None:
            seconds = np.where(present, seconds, seconds[present].min() if present.any() else 0)
        day, second = np.divmod(seconds, _DAY)
        lo = int(day.min())
        names = self._day_strings(lo, int(day.max()))
        clock = self._clock
        out = [names[d - lo] + clock[s] for d, s in zip(day.tolist(), second.tolist(), strict=True)]
        return out if present is None else _nullable(out, present)

    def date(self, days: np.ndarray, present: np.ndarray | None = None) -> list[Any]:
        if len(days) == 0:
            return []
        lo = int(days.min())
        names = self._day_strings(lo, int(days.max()))
        out = [names[d - lo] for d in days.tolist()]
        return out if present is None else _nullable(out, present)

    def money(self, paise: np.ndarray, present: np.ndarray | None = None) -> list[Any]:
        out = paise.tolist()
        return out if present is None else _nullable(out, present)

    def money_lookup(self, table: np.ndarray, index: np.ndarray) -> list[Any]:
        return table[index].tolist()

    def percent_lookup(self, table: np.ndarray, index: np.ndarray) -> list[Any]:
        return table[index].tolist()

    def boolean(self, values: np.ndarray) -> list[Any]:
        return values.astype(np.int64).tolist()


class _PostgresEncoder(_Encoder):
    """Python values for asyncpg's binary COPY: Decimal money, aware datetimes, dates."""

    def ts(self, seconds: np.ndarray, present: np.ndarray | None = None) -> list[Any]:
        make, utc = dt.datetime.fromtimestamp, dt.UTC
        out = [make(s, utc) for s in seconds.tolist()]
        return out if present is None else _nullable(out, present)

    def date(self, days: np.ndarray, present: np.ndarray | None = None) -> list[Any]:
        out = days.astype("datetime64[D]").tolist()
        return out if present is None else _nullable(out, present)

    def money(self, paise: np.ndarray, present: np.ndarray | None = None) -> list[Any]:
        out = [Decimal(c).scaleb(-2) for c in paise.tolist()]
        return out if present is None else _nullable(out, present)

    def money_lookup(self, table: np.ndarray, index: np.ndarray) -> list[Any]:
        decimals = np.array([Decimal(c).scaleb(-2) for c in table.tolist()], dtype=object)
        return decimals[index].tolist()

    percent_lookup = money_lookup

    def boolean(self, values: np.ndarray) -> list[Any]:
        return values.astype(bool).tolist()


# --------------------------------------------------------------------------------------
# Writing: generate chunk k+1 in a worker thread while chunk k is inserted
# --------------------------------------------------------------------------------------


async def _run_pipeline(
    generator: _ChunkGenerator,
    writers: list[_Writer],
    stats: SeedStats,
    say: Callable[[str], None],
) -> None:
    """One producer generates chunks in order; the writers insert them as they come.

    A chunk slot is taken before a chunk is generated and given back once it is committed,
    so at most ``len(writers) + 1`` chunks are alive at any time.
    """
    loop = asyncio.get_running_loop()
    n_chunks = len(generator.plan.bounds)
    total = len(generator.plan.created_day)
    slots = asyncio.Semaphore(len(writers) + 1)
    queue: asyncio.Queue[_Chunk | None] = asyncio.Queue()

    async def produce(pool: ThreadPoolExecutor) -> None:
        for index in range(n_chunks):
            await slots.acquire()
            await queue.put(await loop.run_in_executor(pool, generator.chunk, index))
        for _ in writers:
            await queue.put(None)

    async def consume(writer: _Writer) -> None:
        async with writer:
            while (chunk := await queue.get()) is not None:
                await writer.write(chunk)
                slots.release()
                stats.customers += chunk.customers
                for key in ("quotations", "orders", "payments", "interactions", "tasks"):
                    setattr(stats, key, getattr(stats, key) + chunk.counts[key])
                say(
                    f"customers {stats.customers}/{total}: {stats.orders} orders, "
                    f"{stats.quotations} quotations, {stats.interactions} interactions"
                )

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="seed-demo") as pool:
        try:
            async with asyncio.TaskGroup() as group:
                group.create_task(produce(pool))
                for writer in writers:
                    group.create_task(consume(writer))
        except BaseExceptionGroup as failed:
            raise failed.exceptions[0] from None


class _Writer:
    async def __aenter__(self) -> _Writer:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def write(self, chunk: _Chunk) -> None:
        raise NotImplementedError


class _SQLiteWriter(_Writer):
    """``executemany`` on the aiosqlite connection, one ``BEGIN IMMEDIATE`` per chunk."""

    def __init__(self, db: Database) -> None:
        self.engine = db.engine.execution_options(sqlite_begin="IMMEDIATE")

    async def __aenter__(self) -> _SQLiteWriter:
        self.conn = await self.engine.connect()
        raw = await self.conn.get_raw_connection()
        self.driver = raw.driver_connection
        assert self.driver is not None
        # Connection-local tuning, restored on exit: a bigger page cache and fewer, larger
        # WAL checkpoints (hot index pages are then written back once, not every chunk).
        self.saved = {}
        for pragma, value in (
            ("cache_size", -SQLITE_CACHE_KIB),
            ("wal_autocheckpoint", SQLITE_WAL_AUTOCHECKPOINT),
        ):
            cursor = await self.driver.execute(f"PRAGMA {pragma}")
            self.saved[pragma] = int((await cursor.fetchone())[0])
            await cursor.close()
            await self.driver.execute(f"PRAGMA {pragma}={int(value)}")
        return self

    async def __aexit__(self, *exc: object) -> None:
        try:
            if self.conn.in_transaction():
                await self.conn.rollback()
            for pragma, value in self.saved.items():
                await self.driver.execute(f"PRAGMA {pragma}={value}")
            cursor = await self.driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            await cursor.close()
        finally:
            await self.conn.close()

    async def write(self, chunk: _Chunk) -> None:
        async with self.conn.begin():
            for table, columns, rows in chunk.tables:
                if rows:
                    sql = (
                        f"INSERT INTO {table} ({', '.join(columns)}) "
                        f"VALUES ({', '.join('?' * len(columns))})"
                    )
                    await self.driver.executemany(sql, rows)


class _PostgresWriter(_Writer):
    """Binary ``COPY`` through asyncpg, one transaction per chunk."""

    def __init__(self, db: Database) -> None:
        self.engine = db.engine

    async def __aenter__(self) -> _PostgresWriter:
        self.conn = await self.engine.connect()
        raw = await self.conn.get_raw_connection()
        self.driver = raw.driver_connection
        assert self.driver is not None
        return self

    async def __aexit__(self, *exc: object) -> None:
        if exc[0] is not None:  # possibly interrupted mid-COPY: never reuse the connection
            await self.conn.invalidate()
        await self.conn.close()

    async def write(self, chunk: _Chunk) -> None:
        async with self.driver.transaction():
            for table, columns, rows in chunk.tables:
                if rows:
                    await self.driver.copy_records_to_table(
                        table, records=rows, columns=list(columns)
                    )


async def _postgres_finish(db: Database, say: Callable[[str], None]) -> None:
    """Move id sequences past the ids assigned here, then refresh planner statistics."""
    async with db.engine.begin() as conn:
        for model in _ID_TABLES:
            table = model.__tablename__
            await conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            )
    say("analyzing")
    async with db.engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.exec_driver_sql("ANALYZE")
