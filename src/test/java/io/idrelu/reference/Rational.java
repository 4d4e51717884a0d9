package io.idrelu.reference;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * A reduced fraction of BigIntegers: the independent arithmetic the tests check the BigDecimal
 * reference against. Doubles enter through their bits (mantissa times a power of two), not through
 * {@code new BigDecimal(double)}, so the two paths share no conversion code.
 */
record Rational(BigInteger num, BigInteger den) implements Comparable<Rational> {
    static final Rational ZERO = new Rational(BigInteger.ZERO, BigInteger.ONE);
    static final Rational ONE = new Rational(BigInteger.ONE, BigInteger.ONE);

    Rational {
        if (den.signum() == 0) {
            throw new ArithmeticException("zero denominator");
        }
        if (den.signum() < 0) {
            num = num.negate();
            den = den.negate();
        }
        BigInteger g = num.gcd(den);
        if (!g.equals(BigInteger.ONE) && g.signum() != 0) {
            num = num.divide(g);
            den = den.divide(g);
        }
    }

    static Rational of(long n) {
        return new Rational(BigInteger.valueOf(n), BigInteger.ONE);
    }

    static Rational of(double x) {
        if (x == 0) {
            return ZERO;
        }
        long bits = Double.doubleToRawLongBits(x);
        int exp = (int) ((bits >> 52) & 0x7FF);
        long mant = bits & 0xFFFFFFFFFFFFFL;
        if (exp == 0) {
            exp = 1; // subnormal
        } else {
            mant |= 1L << 52;
        }
        int e = exp - 1075;
        BigInteger m = BigInteger.valueOf(x < 0 ? -mant : mant);
        return e >= 0 ? new Rational(m.shiftLeft(e), BigInteger.ONE) : new Rational(m, BigInteger.ONE.shiftLeft(-e));
    }

    static Rational of(BigDecimal x) {
        return x.scale() >= 0 ? new Rational(x.unscaledValue(), BigInteger.TEN.pow(x.scale()))
                : new Rational(x.unscaledValue().multiply(BigInteger.TEN.pow(-x.scale())), BigInteger.ONE);
    }

    Rational add(Rational o) {
        return new Rational(num.multiply(o.den).add(o.num.multiply(den)), den.multiply(o.den));
    }

    Rational subtract(Rational o) {
        return add(o.negate());
    }

    Rational multiply(Rational o) {
        return new Rational(num.multiply(o.num), den.multiply(o.den));
    }

    Rational divide(Rational o) {
        return new Rational(num.multiply(o.den), den.multiply(o.num));
    }

    Rational negate() {
        return new Rational(num.negate(), den);
    }

    Rational abs() {
        return num.signum() < 0 ? negate() : this;
    }

    int signum() {
        return num.signum();
    }

    /** Correctly rounded to {@code mc}. */
    BigDecimal round(MathContext mc) {
        return new BigDecimal(num).divide(new BigDecimal(den), mc);
    }

    boolean equalsValue(BigDecimal x) {
        return compareTo(of(x)) == 0;
    }

    @Override
    public int compareTo(Rational o) {
        return num.multiply(o.den).compareTo(o.num.multiply(den));
    }
}
